// Preloaded by `yarn start` (backstage-cli package start --require): metrics
// in Prometheus format on http://127.0.0.1:9464/metrics (METRICS_PORT).
require('./prometheus').startPrometheusExporter();
