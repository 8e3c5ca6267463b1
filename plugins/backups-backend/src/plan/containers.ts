/**
 * What every container we plan states explicitly instead of leaving to the
 * API server's defaults, so that our objects mean the same on every
 * Kubernetes version (and a server's defaults never differ from the plan).
 */

/** The pull policy Kubernetes would choose, stated: Always for `:latest` or no tag, else IfNotPresent. */
export function imagePullPolicyFor(image: string): 'Always' | 'IfNotPresent' {
  const [reference, digest] = image.split('@');
  const lastSegment = reference.slice(reference.lastIndexOf('/') + 1);
  const colon = lastSegment.lastIndexOf(':');
  if (colon === -1) return digest ? 'IfNotPresent' : 'Always';
  return lastSegment.slice(colon + 1) === 'latest' ? 'Always' : 'IfNotPresent';
}

/** The explicit fields of a container running `image`. */
export function explicitContainerFields(image: string) {
  return {
    imagePullPolicy: imagePullPolicyFor(image),
    // The dump and snapshot scripts report their result here.
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
  };
}
