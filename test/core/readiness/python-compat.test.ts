import {readFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {addDays, formatIsoUtc, parseCavraTimestamp} from '../../../source/core/readiness/py-datetime.js';
import {parsePythonJson} from '../../../source/core/readiness/py-json.js';
import {floatRepr, parsePyFloat, pyRepr, pyRound} from '../../../source/core/readiness/py-value.js';
import {settingsFromEnvironment} from '../../../source/core/readiness/index.js';
import {fixtureRoot} from './helpers.js';

/**
 * The Python behaviour CAVRA's reports depend on, pinned against expectations CPython 3.11
 * produced (test/fixtures/readiness/python/*.json; the cases were drawn from fuzzing and hand
 * picked). Each test lists every mismatch, so a failure shows the inputs that differ.
 */

function load<T>(name: string): T {
	return JSON.parse(readFileSync(path.join(fixtureRoot, 'python', name), 'utf8')) as T;
}

const fromHex = (hex: string) => Buffer.from(hex, 'hex').readDoubleBE(0);
const toHex = (value: number) => {
	const buffer = Buffer.alloc(8);
	buffer.writeDoubleBE(value);
	return buffer.toString('hex');
};

describe('json.loads (CPython 3.11 C scanner)', () => {
	const {cases} = load<{cases: Array<{input: string; expected: string}>}>('json-loads.json');

	it('gives the same value (as repr) or the same JSONDecodeError text', () => {
		const mismatches: unknown[] = [];
		for (const {input, expected} of cases) {
			const result = parsePythonJson(input);
			const actual = result.ok ? `OK ${pyRepr(result.value)}` : `ERR ${result.message}`;
			if (expected.startsWith('EXC')) {
				if (!/^ERR (Integer with more than|Nesting deeper)/.test(actual)) mismatches.push({input, expected, actual});
			} else if (actual !== expected) mismatches.push({input, expected, actual});
		}
		expect(mismatches).toEqual([]);
		expect(cases.length).toBeGreaterThan(400);
	});

	it('rejects what Python would crash on, with a message instead of an exception', () => {
		expect(parsePythonJson('9'.repeat(4301))).toEqual({ok: false, message: 'Integer with more than 4300 digits (Python refuses to convert it): line 1 column 1 (char 0)'});
		expect(parsePythonJson('9'.repeat(4300)).ok).toBe(true);
		expect(parsePythonJson(`${'['.repeat(1000)}${']'.repeat(1000)}`).ok).toBe(true);
		expect(parsePythonJson(`${'['.repeat(100_000)}${']'.repeat(100_000)}`)).toEqual({ok: false, message: 'Nesting deeper than 1000 levels: line 1 column 1001 (char 1000)'});
	});

	it('reads NaN, Infinity, -Infinity and 1e400 as Python floats, as CAVRA does', () => {
		const read = (text: string) => {
			const result = parsePythonJson(text);
			return result.ok ? pyRepr(result.value) : result.message;
		};
		expect(read('{"a": NaN, "b": Infinity, "c": -Infinity}')).toBe("{'a': nan, 'b': inf, 'c': -inf}");
		expect(read('[1e400, -1e400]')).toBe('[inf, -inf]');
		expect(read('{"a": NaN, "b": }')).toBe('Expecting value: line 1 column 17 (char 16)');
	});
});

describe("datetime.fromisoformat as CAVRA's _parse_iso_datetime uses it", () => {
	const {cases} = load<{cases: Array<{input: string; expected: string | null}>}>('fromisoformat.json');

	it('parses, converts to UTC and prints isoformat() as Python does, and rejects what it rejects', () => {
		const mismatches: unknown[] = [];
		for (const {input, expected} of cases) {
			const instant = parseCavraTimestamp(input);
			const actual = instant === undefined ? null : formatIsoUtc(instant);
			if (actual !== expected) mismatches.push({input, expected, actual});
		}
		expect(mismatches).toEqual([]);
		expect(cases.filter(entry => entry.expected !== null).length).toBeGreaterThan(250);
	});
});

describe('timedelta(days=float(days)) added to a datetime', () => {
	const {cases} = load<{cases: Array<{days: string; int: boolean; expected: string | null}>}>('timedelta.json');
	const base = parseCavraTimestamp('2026-11-01T09:30:00+00:00')!;

	it('rounds the fraction to microseconds as CPython does and overflows where it overflows', () => {
		const mismatches: unknown[] = [];
		for (const {days, int, expected} of cases) {
			const result = addDays(base, int ? BigInt(days) : Number(days));
			const actual = result === undefined ? null : formatIsoUtc(result);
			if (actual !== expected) mismatches.push({days, expected, actual});
		}
		expect(mismatches).toEqual([]);
	});
});

describe('floats', () => {
	const floats = load<{repr: Array<{hex: string; expected: string}>; round4: Array<{hex: string; expected: string}>; float: Array<{input: string; expected: string | null}>}>(
		'floats.json',
	);

	it('repr(float): shortest round-trip digits, Python notation', () => {
		const mismatches = floats.repr.filter(({hex, expected}) => floatRepr(fromHex(hex)) !== expected).map(({hex, expected}) => ({value: fromHex(hex), expected, actual: floatRepr(fromHex(hex))}));
		expect(mismatches).toEqual([]);
	});

	it('round(x, 4): half to even on the exact binary value (0.03125 -> 0.0312)', () => {
		const mismatches = floats.round4.filter(({hex, expected}) => toHex(pyRound(fromHex(hex), 4)) !== expected).map(({hex, expected}) => ({value: fromHex(hex), expected: fromHex(expected), actual: pyRound(fromHex(hex), 4)}));
		expect(mismatches).toEqual([]);
		expect(pyRound(0.03125, 4)).toBe(0.0312);
		expect(Object.is(pyRound(-1 / 86_400, 4), -0)).toBe(true);
	});

	it('float(str): whitespace, underscores, inf and nan as Python reads them', () => {
		const mismatches = floats.float
			.map(({input, expected}) => {
				const value = parsePyFloat(input);
				return {input, expected, actual: value === undefined ? null : floatRepr(value)};
			})
			.filter(({expected, actual}) => expected !== actual);
		expect(mismatches).toEqual([]);
	});
});

describe("go_backend_config_from_env()", () => {
	const {cases} = load<{cases: Array<{env: Record<string, string>; expected: Record<string, string>}>}>('settings.json');

	it('normalises the mode and reads the day numbers with float(), defaults 90.0 and 14.0', () => {
		const now = new Date('2026-11-29T12:00:00Z');
		for (const {env, expected} of cases) {
			const settings = settingsFromEnvironment(env, now);
			expect({
				...settings,
				rollbackDrillMaxAgeDays: floatRepr(settings.rollbackDrillMaxAgeDays),
				rollbackDrillDueSoonDays: floatRepr(settings.rollbackDrillDueSoonDays),
			}).toEqual({...expected, now});
		}
	});
});
