import { imagePullPolicyFor } from './containers';

describe('imagePullPolicyFor', () => {
  it.each([
    ['docker.io/bitnami/kubectl:latest', 'Always'],
    ['bitnami/kubectl', 'Always'],
    ['registry.local:5000/kubectl', 'Always'],
    ['postgres:16', 'IfNotPresent'],
    ['registry.local:5000/team/kubectl:1.34', 'IfNotPresent'],
    ['kubectl@sha256:0123abcd', 'IfNotPresent'],
    ['kubectl:1.34@sha256:0123abcd', 'IfNotPresent'],
  ])('%s pulls %s, as Kubernetes would default it', (image, policy) => {
    expect(imagePullPolicyFor(image)).toBe(policy);
  });
});
