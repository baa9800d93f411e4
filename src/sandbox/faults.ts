// Fault injection: a fixed latency and rules such as "the next 2 requests matching /roleAssignments/ answer 429".

/** The fault kinds, in one list (the type and the validator derive from it). */
export const FAULT_KINDS = [408, 429, 500, 502, 503, 504, 'reset', 'malformed', 'reply'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultRule {
  /** Regular expression (source text) tested against the request path plus query, e.g. `/arm/subscriptions\\?`. */
  match: string;
  /** Only this HTTP method (any when omitted). */
  method?: string;
  fault: FaultKind;
  /** How many matching requests get the fault (default 1), or "always". */
  times?: number | 'always';
  /** Retry-After header in seconds (429 and 503; default 1 for 429). */
  retryAfterSeconds?: number;
  /** `reply`: answer this JSON body verbatim (e.g. an example body Microsoft publishes), without authentication. */
  body?: unknown;
  /** `reply`: the status to answer with (default 200). */
  status?: number;
}

export interface FaultConfig {
  /** Added to every ARM, Graph and token request. */
  latencyMs?: number;
  rules?: FaultRule[];
}


/** Validates a fault configuration (from options or the control API). Throws with a readable message. */
export function parseFaultConfig(raw: unknown): FaultConfig {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error('faults must be an object: {"latencyMs"?: number, "rules"?: [...]}');
  const o = raw as Record<string, unknown>;
  const latencyMs = o.latencyMs ?? 0;
  if (typeof latencyMs !== 'number' || latencyMs < 0) throw new Error('faults.latencyMs must be a non-negative number');
  const rulesRaw = o.rules ?? [];
  if (!Array.isArray(rulesRaw)) throw new Error('faults.rules must be an array');
  const rules = rulesRaw.map((r: unknown, i): FaultRule => {
    const where = `faults.rules[${i}]`;
    if (typeof r !== 'object' || r === null) throw new Error(`${where} must be an object`);
    const { match, method, fault, times, retryAfterSeconds, body, status } = r as Record<string, unknown>;
    if (typeof match !== 'string') throw new Error(`${where}.match must be a regular expression string`);
    new RegExp(match); // throws a SyntaxError naming the problem
    if (!(FAULT_KINDS as readonly unknown[]).includes(fault)) throw new Error(`${where}.fault must be one of ${FAULT_KINDS.join(', ')}`);
    if (times !== undefined && times !== 'always' && (typeof times !== 'number' || !Number.isInteger(times) || times < 1)) throw new Error(`${where}.times must be a positive integer or "always"`);
    if (method !== undefined && typeof method !== 'string') throw new Error(`${where}.method must be a string`);
    if (retryAfterSeconds !== undefined && (typeof retryAfterSeconds !== 'number' || retryAfterSeconds < 0)) throw new Error(`${where}.retryAfterSeconds must be a non-negative number`);
    if (fault === 'reply' && body === undefined) throw new Error(`${where}.body is required for a "reply" rule`);
    if (status !== undefined && (typeof status !== 'number' || !Number.isInteger(status) || status < 200 || status > 599)) throw new Error(`${where}.status must be an HTTP status from 200 to 599`);
    return { match, fault: fault as FaultKind, times: times ?? 1, ...(fault === 'reply' ? { body, ...(status === undefined ? {} : { status }) } : {}), ...(method === undefined ? {} : { method: method.toUpperCase() }), ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }) };
  });
  return { latencyMs, rules };
}

interface LiveRule {
  rule: FaultRule;
  re: RegExp;
  remaining: number;
}

export class FaultInjector {
  private rules: LiveRule[] = [];
  latencyMs = 0;

  set(config: FaultConfig): void {
    const parsed = parseFaultConfig(config);
    this.latencyMs = parsed.latencyMs ?? 0;
    this.rules = (parsed.rules ?? []).map((rule) => ({ rule, re: new RegExp(rule.match), remaining: rule.times === 'always' ? Infinity : (rule.times ?? 1) }));
  }

  /** The current configuration, with `times` showing what is left. */
  get config(): FaultConfig {
    return { latencyMs: this.latencyMs, rules: this.rules.map((r) => ({ ...r.rule, times: r.remaining === Infinity ? 'always' : r.remaining })) };
  }

  /** Consumes and returns the first rule that matches, if any. */
  take(method: string, target: string): FaultRule | undefined {
    const live = this.rules.find((r) => r.remaining > 0 && (r.rule.method === undefined || r.rule.method === method) && r.re.test(target));
    if (live === undefined) return undefined;
    live.remaining--;
    return live.rule;
  }
}
