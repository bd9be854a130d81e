/**
 * Test-only: fast-check arbitraries derived from a zod 4 schema, mixed with hostile values, for the
 * fuzz suites (issue 8). The walk reads `schema._zod.def` so a new procedure's input is fuzzed without
 * anyone writing a generator for it; an unknown kind falls back to `fc.anything()`.
 *
 * It lives beside the domain's rules (export `@titles/domain/testing/zod-fuzz`, never imported by the
 * rules themselves) so both apps' suites use one copy; it needs nothing but zod's schemas and fast-check.
 */
import fc from "fast-check";

/** 100 KB: far above every `.max()` the procedures declare, small enough to cross http quickly. */
export const LONG = 100 * 1024;

/** Strings that have broken servers elsewhere: injections, control and direction characters, emoji. */
export const hostileStrings: readonly string[] = [
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "\u202Eevil\u202C",
  "\u200B\u200D\uFEFF",
  "👨‍👩‍👧‍👦🀄️𠮷",
  "\uD800",
  "' OR 1=1 --",
  "'; drop table audit_log; --",
  "\\x00\\'",
  "<script>alert(1)</script>",
  '"><img src=x onerror=alert(1)>',
  // Template injection, `${7*7}` spelt with its dollar escaped.
  "\u0024{7*7}{{7*7}}",
  "../../../../etc/passwd",
  "__proto__",
  "constructor",
  "null",
  "NaN",
  "-1",
  "1e309",
  "00000000-0000-0000-0000-000000000000",
  "ffffffff-ffff-ffff-ffff-ffffffffffff",
  "%00%27",
  "\r\nSet-Cookie: x=1",
];

/** Numbers JSON can carry, and the ones it turns into null (NaN, ±Infinity). */
export const hostileNumbers: readonly number[] = [
  0,
  -0,
  -1,
  0.5,
  1e308,
  -1e308,
  Number.MAX_SAFE_INTEGER + 2,
  2 ** 31,
  -(2 ** 63),
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
];

export interface FuzzOptions {
  /** Real ids (meetings, applications, users) mixed into uuid fields so some inputs reach the services. */
  ids?: readonly string[];
  /** Largest string a generator makes (queries travel in the URL; keep them shorter there). */
  longLength?: number;
}

/** One hostile value of any type: long strings, odd numbers, wrong types, prototype keys. */
export function hostileValue(options: FuzzOptions = {}): fc.Arbitrary<unknown> {
  const long = options.longLength ?? LONG;
  return fc.oneof(
    fc.constantFrom(...hostileStrings),
    fc.constantFrom(...hostileNumbers),
    fc.constantFrom(null, true, false, [], {}, [[[[[]]]]]),
    fc.constant("字".repeat(Math.floor(long / 3))),
    fc.constant(`${"x".repeat(long - 1)}\u0000`),
    fc.constant(protoObject({ polluted: true })),
    fc.string({ unit: "binary", maxLength: 64 }),
  );
}

/** An object whose own enumerable `__proto__` key survives JSON.stringify. */
export function protoObject(value: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  Object.defineProperty(out, "__proto__", { value, enumerable: true, configurable: true, writable: true });
  return out;
}

type Def = { type: string; [key: string]: unknown };
type Check = { _zod: { def: { check: string; [key: string]: unknown } } };
type AnySchema = { _zod: { def: Def } };

function checksOf(def: Def): Array<Check["_zod"]["def"]> {
  return ((def.checks as Check[] | undefined) ?? []).map((c) => c._zod.def);
}

/** Values that satisfy the schema's shape (most of the time), with hostile leaves now and then. */
export function arbitraryFromZod(schema: unknown, options: FuzzOptions = {}): fc.Arbitrary<unknown> {
  const def = (schema as AnySchema | undefined)?._zod?.def;
  if (!def) return fc.anything();
  const leaf = (valid: fc.Arbitrary<unknown>) =>
    fc.oneof({ arbitrary: valid, weight: 8 }, { arbitrary: hostileValue(options), weight: 1 });
  switch (def.type) {
    case "string": {
      const checks = checksOf(def);
      const format = checks.find((c) => c.check === "string_format")?.format;
      if (format === "uuid" || format === "guid") {
        const ids = options.ids ?? [];
        const real = ids.length > 0 ? [{ arbitrary: fc.constantFrom(...ids), weight: 3 }] : [];
        return leaf(fc.oneof(...real, { arbitrary: fc.uuid(), weight: 1 }));
      }
      const min = Number(checks.find((c) => c.check === "min_length")?.minimum ?? 0);
      const max = Number(checks.find((c) => c.check === "max_length")?.maximum ?? 200);
      return leaf(
        fc.oneof(
          {
            arbitrary: fc.string({ unit: "grapheme", minLength: min, maxLength: Math.min(max, 300) }),
            weight: 8,
          },
          // Just past the bound: the refusal must be a 400, not a database error.
          { arbitrary: fc.constant("长".repeat(max + 1)), weight: 1 },
          { arbitrary: fc.constant("x".repeat(Math.max(0, min - 1))), weight: 1 },
        ),
      );
    }
    case "number":
    case "int":
    case "bigint": {
      const checks = checksOf(def);
      const lo = checks.find((c) => c.check === "greater_than")?.value as number | undefined;
      const hi = checks.find((c) => c.check === "less_than")?.value as number | undefined;
      const whole = checks.some((c) => c.check === "number_format");
      const min = lo ?? -1000;
      const max = hi ?? 1000;
      return leaf(
        fc.oneof(
          { arbitrary: fc.integer({ min: Math.ceil(min), max: Math.floor(max) }), weight: 6 },
          { arbitrary: whole ? fc.constantFrom(min - 1, max + 1, 0.5) : fc.double(), weight: 1 },
          { arbitrary: fc.constantFrom(...hostileNumbers), weight: 1 },
        ),
      );
    }
    case "boolean":
      return leaf(fc.boolean());
    case "null":
      return leaf(fc.constant(null));
    case "void":
    case "undefined":
      // Nothing at all most of the time; a value where none belongs now and then.
      return fc.oneof(
        { arbitrary: fc.constant(undefined), weight: 3 },
        { arbitrary: hostileValue(options), weight: 1 },
      );
    case "literal":
      return leaf(fc.constantFrom(...(def.values as unknown[])));
    case "enum":
      return leaf(fc.constantFrom(...Object.values(def.entries as Record<string, unknown>)));
    case "optional":
    case "nullable":
    case "default":
    case "prefault":
    case "readonly":
    case "catch":
    case "nonoptional":
      return fc.oneof(
        { arbitrary: arbitraryFromZod(def.innerType, options), weight: 4 },
        { arbitrary: fc.constant(def.type === "nullable" ? null : undefined), weight: 1 },
      );
    case "pipe":
      return arbitraryFromZod(def.in, options);
    case "lazy":
      return fc.anything();
    case "array": {
      const checks = checksOf(def);
      const max = Number(checks.find((c) => c.check === "max_length")?.maximum ?? 20);
      return leaf(
        fc.oneof(
          {
            arbitrary: fc.array(arbitraryFromZod(def.element, options), { maxLength: Math.min(max, 20) }),
            weight: 6,
          },
          // One past the bound.
          {
            arbitrary: fc.array(arbitraryFromZod(def.element, options), {
              minLength: max + 1,
              maxLength: max + 1,
            }),
            weight: 1,
          },
        ),
      );
    }
    case "record":
      return leaf(
        fc.dictionary(
          fc.oneof(
            { arbitrary: arbitraryFromZod(def.keyType, options).map(String), weight: 8 },
            { arbitrary: fc.constantFrom("__proto__", "constructor"), weight: 1 },
          ),
          arbitraryFromZod(def.valueType, options),
          { maxKeys: 6 },
        ),
      );
    case "union":
      return fc.oneof(...(def.options as unknown[]).map((o) => arbitraryFromZod(o, options)));
    case "intersection":
      return fc
        .tuple(arbitraryFromZod(def.left, options), arbitraryFromZod(def.right, options))
        .map(([a, b]) => (isPlainObject(a) && isPlainObject(b) ? { ...a, ...b } : a));
    case "tuple":
      return fc.tuple(...(def.items as unknown[]).map((i) => arbitraryFromZod(i, options)));
    case "object": {
      const shape = def.shape as Record<string, unknown>;
      const fields = Object.fromEntries(
        Object.entries(shape).map(([k, v]) => [k, arbitraryFromZod(v, options)]),
      );
      return leaf(
        fc
          .tuple(
            fc.record(fields),
            // Damage: drop a field, add a stranger, add a prototype key.
            fc.constantFrom("none", "none", "none", "none", "none", "drop", "extra", "proto"),
            fc.nat(),
          )
          .map(([value, damage, n]) => mutate(value as Record<string, unknown>, damage, n)),
      );
    }
    default:
      return fc.anything();
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function mutate(value: Record<string, unknown>, damage: string, n: number): Record<string, unknown> {
  const keys = Object.keys(value);
  const out: Record<string, unknown> = { ...value };
  if (damage === "drop" && keys.length > 0) delete out[keys[n % keys.length]!];
  if (damage === "extra") out[`extra${n % 7}`] = hostileStrings[n % hostileStrings.length];
  if (damage === "proto") {
    Object.defineProperty(out, "__proto__", {
      value: { isAdmin: true },
      enumerable: true,
      configurable: true,
      writable: true,
    });
  }
  return out;
}

/**
 * What a fuzzed call sends: mostly shaped by the schema, sometimes a hostile value in place of the
 * whole input. `undefined` means "no input at all".
 */
export function fuzzInput(schema: unknown, options: FuzzOptions = {}): fc.Arbitrary<unknown> {
  return fc.oneof(
    { arbitrary: arbitraryFromZod(schema, options), weight: 5 },
    { arbitrary: hostileValue(options), weight: 1 },
    { arbitrary: fc.constant(undefined), weight: 1 },
  );
}

/** Bodies that are not JSON at all, or JSON no parser should choke on. */
export const rawBodies: readonly string[] = [
  "",
  "{",
  '{"meetingId":',
  "\u0000",
  "not json",
  "[".repeat(5000) + "]".repeat(5000),
  `{"a":"${"x".repeat(LONG)}"`,
  '{"__proto__":{"isAdmin":true}}',
  "null",
  "1e999999",
];

/** The message a refusal carries must be words, not a stack trace or an internal dump. */
export function looksLikeStack(message: string): boolean {
  return /\n\s+at\s|node_modules|\.ts:\d+|Error:\s/.test(message);
}
