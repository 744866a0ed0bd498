import crypto from 'node:crypto';
import dns from 'node:dns/promises';
import net from 'node:net';

/** Events a webhook can subscribe to. */
export const EVENTS = ['analysis.completed', 'analysis.failed', 'leak.suspected'] as const;
export type WebhookEvent = (typeof EVENTS)[number];

export interface Webhook {
  name: string;
  url: string;
  secret: string;
  events: WebhookEvent[];
  createdAt: string;
}

/** `sha256=HEX`, HEX = HMAC-SHA256(secret, timestamp + "." + raw body). */
export function signature(secret: string, timestamp: string, body: string): string {
  return 'sha256=' + crypto.createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** Loopback, private, link-local and other addresses a webhook must not reach unless its host is allowed. */
export function isPrivateAddress(ip: string): boolean {
  if (net.isIPv4(ip)) {
    const [a, b] = ip.split('.').map(Number);
    return (
      a === 10 ||
      a === 127 ||
      a === 0 ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 100 && b >= 64 && b <= 127) ||
      a >= 224
    );
  }
  const v = ip.toLowerCase();
  if (v.startsWith('::ffff:')) return isPrivateAddress(v.slice(7));
  return v === '::1' || v === '::' || v.startsWith('fc') || v.startsWith('fd') || v.startsWith('fe80');
}

/**
 * Why a webhook URL may not be used, or null when it may: http(s) only, and a host that resolves to a public
 * address unless it is listed in HEAPSIGHT_WEBHOOK_ALLOW_HOSTS. Checked when the webhook is saved and again before
 * each delivery (the name may resolve elsewhere by then).
 */
export async function refuseUrl(url: string, allowHosts: string[]): Promise<string | null> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return `not a URL: ${url}`;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return 'webhook URLs must be http or https';
  const host = u.hostname.replace(/^\[|\]$/g, '');
  if (allowHosts.includes(host) || allowHosts.includes(u.host)) return null;
  let addresses: string[];
  try {
    addresses = net.isIP(host) ? [host] : (await dns.lookup(host, { all: true })).map((a) => a.address);
  } catch {
    return `cannot resolve webhook host ${host}`;
  }
  const bad = addresses.find(isPrivateAddress);
  return bad
    ? `webhook host ${host} is a private or loopback address (${bad}); ` +
        'list it in HEAPSIGHT_WEBHOOK_ALLOW_HOSTS to allow it'
    : null;
}
