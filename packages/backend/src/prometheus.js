// @ts-check
/*
 * Exports the backend's metrics (Backstage's MetricsService, OpenTelemetry
 * underneath) in Prometheus format, as Backstage's "Setup OpenTelemetry"
 * tutorial does, with the metrics SDK only. Plain JavaScript, because it is
 * preloaded with `node --require` before the backend's modules.
 */
const { metrics } = require('@opentelemetry/api');
const { MeterProvider } = require('@opentelemetry/sdk-metrics');
const { PrometheusExporter } = require('@opentelemetry/exporter-prometheus');

/**
 * Sets the global meter provider to one read by a Prometheus endpoint on
 * http://<host>:<port>/metrics (default 127.0.0.1:9464, or METRICS_PORT).
 *
 * @param {{ host?: string, port?: number }} [options]
 */
function startPrometheusExporter(options = {}) {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? Number(process.env.METRICS_PORT ?? 9464);
  const exporter = new PrometheusExporter({ host, port });
  const provider = new MeterProvider({ readers: [exporter] });
  metrics.setGlobalMeterProvider(provider);
  return {
    url: `http://${host}:${port}/metrics`,
    async stop() {
      await provider.shutdown();
      metrics.disable();
    },
  };
}

module.exports = { startPrometheusExporter };
