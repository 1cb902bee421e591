import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { looksLikeCredential, shannonEntropy } from '../../src/secrets/credential.ts'

/** Deterministic random-looking strings, generated here so that no fixture resembles a real key. */
function pseudoRandom(seed: number, length: number, alphabet: string): string {
  let x = seed >>> 0
  let out = ''
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0
    out += alphabet[(x >>> 8) % alphabet.length]
  }
  return out
}
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
const B64 = `${ALNUM}+/`
const reason = (v: string): string | undefined => looksLikeCredential(v)?.reason

describe('looksLikeCredential: token formats', () => {
  it.each([
    ['pem-private-key', '-----BEGIN OPENSSH PRIVATE KEY-----\nFAKE\n-----END OPENSSH PRIVATE KEY-----'],
    ['pem-private-key', 'key: |\n  -----BEGIN RSA PRIVATE KEY-----\n  FAKE'],
    ['pem-private-key', '-----BEGIN PGP PRIVATE KEY BLOCK-----'],
    ['pem-block', '-----BEGIN CERTIFICATE-----\nFAKE\n-----END CERTIFICATE-----'],
    ['age-secret-key', `AGE-SECRET-KEY-1${'Q'.repeat(58)}`],
    ['github-token', `ghp_${'FAKE'.repeat(9)}`],
    ['github-token', `token = "gho_${'0'.repeat(36)}"`],
    ['github-token', `github_pat_${'FAKE_'.repeat(16)}`],
    ['slack-token', 'xoxb-000000000000-000000000000-FAKEFAKEFAKEFAKE'],
    ['slack-webhook', 'https://hooks.slack.com/services/T00000000/B00000000/FAKEFAKEFAKEFAKEFAKE'],
    ['aws-access-key', 'AKIAIOSFODNN7EXAMPLE'],
    ['jwt', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJmYWtlIn0.ZmFrZS1zaWduYXR1cmU'],
    ['doppler-token', `dp.st.dev.${'FAKE'.repeat(10)}`],
    ['discord-webhook', `https://discord.com/api/webhooks/000000000000000000/${'FAKE-'.repeat(8)}`],
    ['discord-webhook', `https://discordapp.com/api/webhooks/1/${'x'.repeat(68)}`],
    ['url-credentials', 'postgres://app:not-a-real-password@db.example.test:5432/app'],
    ['url-credentials', 'https://user:p%40ss@example.test/'],
    ['sops-encrypted', 'ENC[AES256_GCM,data:AAAA,iv:AAAA,tag:AAAA,type:str]'],
  ])('flags %s', (expected, value) => {
    expect(reason(value)).toBe(expected)
  })

  it('does not take placeholders in a URL password for credentials', () => {
    for (const v of [
      'postgres://app:${DB_PASSWORD}@db:5432/app',
      'postgres://app:{{ .password }}@db:5432/app',
      'postgres://app:$(DB_PASSWORD)@db:5432/app',
      'postgres://app:<password>@db/app',
      'postgres://app:****@db/app',
      'https://user@example.test/',
    ]) {
      expect(reason(v), v).toBeUndefined()
    }
  })

  it('flags a random token in a URL query but not a placeholder', () => {
    expect(reason(`https://api.example.test/v1?apikey=${pseudoRandom(7, 32, ALNUM)}`)).toBe('url-token')
    expect(reason('http://prowlarr.downloads:8080/1/api?apikey={{ .PROWLARR_API_KEY }}')).toBeUndefined()
    expect(reason('https://example.test/search?q=kubernetes&page=2')).toBeUndefined()
  })
})

describe('looksLikeCredential: entropy', () => {
  it.each([
    ['base62, 20 chars', pseudoRandom(1, 20, ALNUM)],
    ['base62, 40 chars', pseudoRandom(2, 40, ALNUM)],
    ['base64 with padding', `${pseudoRandom(3, 42, B64)}==`],
    ['quoted', `"${pseudoRandom(5, 24, ALNUM)}"`],
  ])('flags a random %s string', (_, value) => {
    expect(reason(value)).toBe('high-entropy')
  })

  it('flags a whole-value hex string of 32+ digits as a possible key, under its own reason', () => {
    expect(reason(pseudoRandom(4, 32, '0123456789abcdef'))).toBe('hex-key')
    expect(reason(pseudoRandom(4, 64, '0123456789abcdef'))).toBe('hex-key')
    expect(reason(pseudoRandom(4, 31, '0123456789abcdef'))).toBeUndefined()
    expect(reason('0'.repeat(40))).toBeUndefined()
  })

  it('flags random base64 even when it contains slashes', () => {
    let flagged = 0
    for (let seed = 0; seed < 100; seed++) if (reason(`${pseudoRandom(seed * 31 + 5, 40, B64)}=`)) flagged++
    expect(flagged).toBeGreaterThanOrEqual(95)
  })

  it('flags most random base62 tokens of 20 to 64 characters', () => {
    let flagged = 0
    for (let seed = 0; seed < 200; seed++) if (reason(pseudoRandom(seed * 7919 + 13, 20 + (seed % 45), ALNUM))) flagged++
    expect(flagged).toBeGreaterThanOrEqual(190)
  })

  it('needs 20 characters', () => {
    expect(reason(pseudoRandom(6, 19, ALNUM))).toBeUndefined()
    expect(reason('hunter2')).toBeUndefined()
  })

  it('computes Shannon entropy in bits per character', () => {
    expect(shannonEntropy('aaaa')).toBe(0)
    expect(shannonEntropy('abab')).toBe(1)
    expect(shannonEntropy('abcd')).toBe(2)
  })
})

describe('looksLikeCredential: never flagged', () => {
  it.each([
    'rtrox.io',
    'nas.example.test',
    'postgres16-rw.database.svc.cluster.local',
    '7d3f0c2a-1b4e-4c8f-9a6d-2e5b8c1f0a3d.cfargotunnel.com',
    'America/Los_Angeles',
    'America/Argentina/Buenos_Aires',
    'Etc/UTC',
    'UTC',
    'PST8PDT',
    '10.0.0.0/8',
    '192.168.1.10',
    'fd00:10:244::/56',
    '2001:db8::1',
    '::ffff:10.0.0.1',
    '/mnt/rusty/media/downloads',
    './cluster-cd/apps/${CLUSTER_NAME}/default/demo/app',
    '~/.config/sops/age/keys.txt',
    'ops@example.test',
    '1h30m',
    '30m',
    '720h',
    '5Gi',
    '500m',
    'v1.17.2',
    '1.0.0-rc.1+build.5',
    '4.0.0.746@sha256:0000000000000000000000000000000000000000000000000000000000000000',
    'sha256:1111111111111111111111111111111111111111111111111111111111111111',
    '123e4567-e89b-12d3-a456-426614174000',
    'kubernetes.io/dockerconfigjson',
    'external-dns.alpha.kubernetes.io/cloudflare-proxied',
    'application/vnd.cncf.helm.chart.content.v1.tar+gzip',
    'CERTMANAGER_CLOUDFLARE_TOKEN',
    'SomeVeryLongCamelCaseIdentifierName',
    // Structured values a plain entropy test flags (seen in a real legacy repository).
    'kustomize.config.k8s.io/v1alpha1',
    'nfd.k8s-sigs.io/v1alpha1',
    'ghcr.io/home-operations/sabnzbd:4.5.1',
    `ghcr.io/example/app:2025.1.0@sha256:${'ab12'.repeat(16)}`,
    'sonarr-v4-quality-profile-web-1080p',
    '--crd-source-apiversion=externaldns.k8s.io/v1alpha1',
    's3:{{ .endpoint }}/volsync/${APP}',
    'pvc-7d3f0c2a-1b4e-4c8f-9a6d-2e5b8c1f0a3d',
    'descheduler/v1alpha2',
    'ghcr.io/home-operations/sonarr',
    'oci://ghcr.io/bjw-s-labs/helm/app-template',
    'https://auth.example.test/auth/realms/main/.well-known/openid-configuration',
    '{{ .PAPERLESS_SECRET_KEY }}',
    '${SECRET_DISCORD_ALERT_WEBHOOK_URL}',
    'correct horse battery staple with many words in it',
    'true',
    '',
  ])('%j', (value) => {
    expect(looksLikeCredential(value)).toBeUndefined()
  })

  const segment = fc.stringMatching(/^[A-Za-z0-9._-]{1,30}$/)
  const path = fc
    .tuple(fc.constantFrom('/', './', '../', '~/'), fc.array(segment, { minLength: 1, maxLength: 6 }))
    .map(([root, segs]) => root + segs.join('/'))

  it('never flags host names', () => {
    fc.assert(fc.property(fc.domain(), (d) => {
      expect(looksLikeCredential(d)).toBeUndefined()
    }))
  })

  it('never flags IPv4 and IPv6 addresses or CIDRs', () => {
    fc.assert(fc.property(fc.ipV4(), fc.integer({ min: 0, max: 32 }), (ip, n) => {
      expect(looksLikeCredential(ip)).toBeUndefined()
      expect(looksLikeCredential(`${ip}/${n}`)).toBeUndefined()
    }))
    fc.assert(fc.property(fc.ipV6(), fc.integer({ min: 0, max: 128 }), (ip, n) => {
      expect(looksLikeCredential(ip)).toBeUndefined()
      expect(looksLikeCredential(`${ip}/${n}`)).toBeUndefined()
    }))
  })

  it('never flags paths, even with random-looking segments', () => {
    fc.assert(fc.property(path, (p) => {
      expect(looksLikeCredential(p)).toBeUndefined()
    }))
  })

  it('never flags e-mail addresses', () => {
    fc.assert(fc.property(fc.emailAddress(), (e) => {
      expect(looksLikeCredential(e)).toBeUndefined()
    }))
  })

  it('never flags durations and semantic versions', () => {
    const unit = fc.constantFrom('ns', 'us', 'ms', 's', 'm', 'h')
    const duration = fc.array(fc.tuple(fc.nat(100000), unit), { minLength: 1, maxLength: 4 }).map((parts) => parts.map(([n, u]) => `${n}${u}`).join(''))
    const ident = fc.stringMatching(/^[0-9A-Za-z-]{1,12}$/)
    const semver = fc
      .tuple(fc.boolean(), fc.nat(999), fc.nat(999), fc.nat(99999), fc.option(ident), fc.option(ident))
      .map(([v, a, b, c, pre, build]) => `${v ? 'v' : ''}${a}.${b}.${c}${pre ? `-${pre}` : ''}${build ? `+${build}` : ''}`)
    fc.assert(fc.property(duration, semver, (d, s) => {
      expect(looksLikeCredential(d)).toBeUndefined()
      expect(looksLikeCredential(s)).toBeUndefined()
    }))
  })
})
