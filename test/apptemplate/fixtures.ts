/** Hand-written raw app manifests (our own, not from the corpus) for the app-template conversion tests. */
import type { Manifest } from '../../src/apptemplate/index.ts'

const sel = (name: string) => ({ 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': name })

/** A Deployment + Service + Ingress web app with a volsync claim and a secret. */
export function webApp(): Manifest[] {
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'ledger', labels: { ...sel('ledger'), 'app.kubernetes.io/part-of': 'ledger' } },
      spec: {
        selector: { matchLabels: sel('ledger') },
        strategy: { type: 'Recreate' },
        template: {
          metadata: { labels: sel('ledger') },
          spec: {
            securityContext: { fsGroup: 1000, fsGroupChangePolicy: 'OnRootMismatch' },
            containers: [
              {
                name: 'ledger',
                image: 'ghcr.io/acme/ledger:2.1.0',
                ports: [{ name: 'http', containerPort: 8000 }],
                env: [
                  { name: 'TZ', value: '${LOCAL_TZ}' },
                  { name: 'LEDGER_PORT', value: '8000' },
                  { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'ledger-secret', key: 'password' } } },
                ],
                envFrom: [{ secretRef: { name: 'ledger-secret' } }],
                livenessProbe: { httpGet: { path: '/health', port: 'http' }, periodSeconds: 30 },
                readinessProbe: { httpGet: { path: '/health', port: 'http' } },
                resources: { requests: { cpu: '10m', memory: '128Mi' }, limits: { memory: '512Mi' } },
                securityContext: { runAsUser: 1000, runAsGroup: 1000, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
                volumeMounts: [{ name: 'config', mountPath: '/config' }],
              },
            ],
            volumes: [{ name: 'config', persistentVolumeClaim: { claimName: '${APP}' } }],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'ledger', labels: sel('ledger') },
      spec: { type: 'ClusterIP', selector: sel('ledger'), ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'ledger', annotations: { 'cert-manager.io/cluster-issuer': 'letsencrypt' } },
      spec: {
        ingressClassName: 'nginx',
        rules: [{ host: 'ledger.${SECRET_DOMAIN}', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'ledger', port: { name: 'http' } } } }] } }],
      },
    },
  ]
}

/** A media app: main container + exporter sidecar; nfs, emptyDir and a PVC mounted with subPath; a ServiceMonitor. */
export function sidecarApp(): Manifest[] {
  const probe = { httpGet: { path: '/ping', port: 'http' }, failureThreshold: 5 }
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'tuner', annotations: { 'backup.velero.io/backup-volumes': 'config' } },
      spec: {
        selector: { matchLabels: { app: 'tuner', 'app.kubernetes.io/componnet': 'tuner' } },
        template: {
          metadata: { labels: { app: 'tuner', 'app.kubernetes.io/componnet': 'tuner', tier: 'media' }, annotations: { 'backup.velero.io/backup-volumes': 'config', 'prometheus.io/scrape': 'false' } },
          spec: {
            containers: [
              {
                name: 'tuner',
                image: 'ghcr.io/acme/tuner:1.4@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
                ports: [{ name: 'http', containerPort: 8080 }],
                env: [{ name: 'TUNER_URL', value: 'http://tuner-web:8080' }],
                startupProbe: probe,
                livenessProbe: probe,
                volumeMounts: [
                  { name: 'config', mountPath: '/config' },
                  { name: 'media', mountPath: '/media' },
                  { name: 'tmp', mountPath: '/tmp' },
                ],
              },
              {
                name: 'exporter',
                image: 'ghcr.io/acme/exporter:v0.9.1',
                args: ['tuner'],
                ports: [{ name: 'metrics', containerPort: 9090 }],
                env: [
                  { name: 'PORT', value: '9090' },
                  { name: 'URL', value: 'http://localhost:8080' },
                  { name: 'FULL', value: '$(URL)/api' },
                ],
                volumeMounts: [
                  { name: 'config', mountPath: '/config/tuner.db', subPath: 'tuner.db', readOnly: true },
                  { name: 'tmp', mountPath: '/tmp' },
                ],
              },
            ],
            volumes: [
              { name: 'config', persistentVolumeClaim: { claimName: 'tuner' } },
              { name: 'media', nfs: { server: '${NFS_SERVER}', path: '/export/media' } },
              { name: 'tmp', emptyDir: { medium: 'Memory', sizeLimit: '1Gi' } },
            ],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'tuner-web', labels: { app: 'tuner' } },
      spec: {
        selector: { app: 'tuner' },
        ports: [
          { name: 'http', port: 8080 },
          { name: 'metrics', port: 9090 },
        ],
      },
    },
    {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata: { name: 'tuner', labels: { release: 'prometheus' } },
      spec: { selector: { matchLabels: { app: 'tuner' } }, endpoints: [{ port: 'metrics', path: '/metrics', interval: '1m' }] },
    },
  ]
}

/** A StatefulSet named after the app with a claim template. */
export function statefulApp(name = 'vault'): Manifest[] {
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name },
      spec: {
        serviceName: name,
        replicas: 3,
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels: { app: name } },
          spec: {
            containers: [{ name, image: 'docker.io/acme/vault:1.15.0', ports: [{ name: 'api', containerPort: 8200 }], volumeMounts: [{ name: 'data', mountPath: '/vault/data' }] }],
          },
        },
        volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'ceph-block', resources: { requests: { storage: '10Gi' } } } }],
      },
    },
    { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector: { app: name }, ports: [{ name: 'api', port: 8200 }] } },
  ]
}

/** A CronJob reading a generated ConfigMap through subPath. */
export function cronApp(): Manifest[] {
  return [
    {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'sweeper', namespace: 'tools' },
      spec: {
        schedule: '@daily',
        jobTemplate: {
          spec: {
            ttlSecondsAfterFinished: 3600,
            template: {
              metadata: { labels: { 'k8s-app': 'sweeper' } },
              spec: {
                restartPolicy: 'OnFailure',
                automountServiceAccountToken: false,
                containers: [
                  {
                    name: 'sweeper',
                    image: 'ghcr.io/acme/sweeper:3.0.0',
                    args: ['run'],
                    volumeMounts: [{ name: 'config', mountPath: '/etc/sweeper/config.yml', subPath: 'config.yml', readOnly: true }],
                  },
                ],
                volumes: [{ name: 'config', configMap: { name: 'sweeper-config' } }],
              },
            },
          },
        },
      },
    },
    { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name: 'sweeper' }, spec: { endpointSelector: { matchLabels: { 'k8s-app': 'sweeper' } } } },
  ]
}

/** hostNetwork + privileged device access with a hostPath volume and node affinity. */
export function hostApp(): Manifest[] {
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'radio' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { name: 'radio' } },
        template: {
          metadata: { labels: { name: 'radio', app: 'radio' } },
          spec: {
            hostNetwork: true,
            affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'feature/radio', operator: 'In', values: ['true'] }] }] } } },
            containers: [
              {
                name: 'radio',
                image: 'ghcr.io/acme/radio:9.1.0',
                ports: [{ name: 'http', containerPort: 8091 }, { name: 'ws', containerPort: 3000 }],
                securityContext: { privileged: true },
                volumeMounts: [{ name: 'stick', mountPath: '/dev/radio' }],
              },
            ],
            volumes: [{ name: 'stick', hostPath: { path: '/dev/serial/by-id/usb-radio', type: 'CharDevice' } }],
          },
        },
      },
    },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'radio-ui' }, spec: { selector: { name: 'radio' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }, { name: 'ws', port: 3000, targetPort: 'ws' }] } },
  ]
}
