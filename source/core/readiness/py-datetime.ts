import {intRatio, pyRound} from './py-value.js';

/**
 * Time the way CAVRA handles it: `datetime.fromisoformat` of CPython 3.11 (its C implementation,
 * quirks included), UTC instants with microsecond precision, `timedelta(days=float)`,
 * `datetime.isoformat()` and `round(delta.total_seconds() / 86400, 4)`.
 *
 * An instant is a bigint count of microseconds since 1970-01-01T00:00:00Z, so the whole
 * range Python allows (years 1 to 9999) is exact.
 */
export type Instant = bigint;

const MICROS_PER_SECOND = 1_000_000n;
const MICROS_PER_DAY = 86_400_000_000n;

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
	const y = month <= 2 ? year - 1 : year;
	const era = Math.floor(y / 400);
	const yoe = y - era * 400;
	const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
	const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
	return era * 146_097 + doe - 719_468;
}

function civilFromDays(days: number): [number, number, number] {
	const z = days + 719_468;
	const era = Math.floor(z / 146_097);
	const doe = z - era * 146_097;
	const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
	const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
	const mp = Math.floor((5 * doy + 2) / 153);
	const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
	const month = mp < 10 ? mp + 3 : mp - 9;
	return [yoe + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

const isLeap = (year: number) => year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
const daysInMonth = (year: number, month: number) => [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;

const MIN_INSTANT = BigInt(daysFromCivil(1, 1, 1)) * MICROS_PER_DAY;
const MAX_INSTANT = BigInt(daysFromCivil(9999, 12, 31) + 1) * MICROS_PER_DAY - 1n;

function inRange(instant: Instant): boolean {
	return instant >= MIN_INSTANT && instant <= MAX_INSTANT;
}

// ---------------------------------------------------------------------------------------------
// datetime.fromisoformat (CPython 3.11, Modules/_datetimemodule.c), on the UTF-8 bytes.

class Bytes {
	constructor(private readonly bytes: Uint8Array) {}
	/** Reading past the end finds the terminating NUL, as the C code does. */
	at(index: number): number {
		return index < this.bytes.length ? this.bytes[index]! : 0;
	}
	get length(): number {
		return this.bytes.length;
	}
}

const isDigitByte = (byte: number) => byte >= 0x30 && byte <= 0x39;

/** parse_digits: exactly `count` ASCII digits from `start`; [value, next] or undefined. */
function digits(text: Bytes, start: number, count: number): [number, number] | undefined {
	let value = 0;
	for (let i = 0; i < count; i++) {
		const byte = text.at(start + i);
		if (!isDigitByte(byte)) return undefined;
		value = value * 10 + (byte - 0x30);
	}
	return [value, start + count];
}

function findSeparator(text: Bytes): number {
	const length = text.length;
	const DASH = 0x2d;
	const W = 0x57;
	if (length === 7) return 7;
	if (text.at(4) === DASH) {
		if (text.at(5) === W) {
			if (length < 8) return -1;
			if (length > 8 && text.at(8) === DASH) {
				if (length === 9) return -1;
				if (length > 10 && isDigitByte(text.at(10))) return 8;
				return 10;
			}
			return 8;
		}
		return 10;
	}
	if (text.at(4) === W) {
		let index = 7;
		for (; index < length; index++) if (!isDigitByte(text.at(index))) break;
		if (index < 9) return index;
		return index % 2 === 0 ? 7 : 8;
	}
	return 8;
}

/** ISO year, week and weekday to a calendar date, or undefined when out of range. */
function isoToYmd(isoYear: number, week: number, weekday: number): [number, number, number] | undefined {
	if (isoYear < 1) return undefined;
	const jan1 = daysFromCivil(isoYear, 1, 1);
	const jan1Weekday = (((jan1 + 3) % 7) + 7) % 7; // 0 = Monday (1970-01-01 was a Thursday)
	if (week <= 0 || week >= 53) {
		if (!(week === 53 && (jan1Weekday === 3 || (jan1Weekday === 2 && isLeap(isoYear))))) return undefined;
	}
	if (weekday <= 0 || weekday >= 8) return undefined;
	let week1Monday = jan1 - jan1Weekday;
	if (jan1Weekday > 3) week1Monday += 7;
	return civilFromDays(week1Monday + (week - 1) * 7 + weekday - 1);
}

function parseDate(text: Bytes, length: number): [number, number, number] | undefined {
	const year = digits(text, 0, 4);
	if (!year) return undefined;
	let p = year[1];
	const usesSeparator = text.at(p) === 0x2d;
	if (usesSeparator) p++;
	if (text.at(p) === 0x57) {
		p++;
		const week = digits(text, p, 2);
		if (!week) return undefined;
		p = week[1];
		let weekday = 1;
		if (p < length) {
			if (usesSeparator && text.at(p++) !== 0x2d) return undefined;
			const day = digits(text, p, 1);
			if (!day) return undefined;
			weekday = day[0];
		}
		return isoToYmd(year[0], week[0], weekday);
	}
	const month = digits(text, p, 2);
	if (!month) return undefined;
	p = month[1];
	if (usesSeparator && text.at(p++) !== 0x2d) return undefined;
	const day = digits(text, p, 2);
	if (!day) return undefined;
	return [year[0], month[0], day[0]];
}

interface TimeFields {
	rv: number;
	hour: number;
	minute: number;
	second: number;
	micro: number;
}

/** parse_hh_mm_ss_ff over [start, end): rv < 0 error, 0 ok, 1 ok but text follows. */
function parseHhMmSsFf(text: Bytes, start: number, end: number): TimeFields {
	const COLON = 0x3a;
	const fields = [0, 0, 0];
	const done = (rv: number, micro = 0): TimeFields => ({rv, hour: fields[0]!, minute: fields[1]!, second: fields[2]!, micro});
	let p = start;
	let hasSeparator = true;
	for (let i = 0; i < 3; i++) {
		const parsed = digits(text, p, 2);
		if (!parsed) return done(-3);
		[fields[i], p] = parsed;
		const c = text.at(p++);
		if (i === 0) hasSeparator = c === COLON;
		if (p >= end) return done(c !== 0 ? 1 : 0);
		if (hasSeparator && c === COLON) continue;
		if (c === 0x2e || c === 0x2c) break; // . or , starts the fraction
		if (hasSeparator) return done(-4);
		p--;
	}
	// The fraction: up to six digits are read, further digits skipped.
	const count = Math.min(end - p, 6);
	const micro = count > 0 ? digits(text, p, count) : undefined;
	if (!micro) return done(-3);
	p = micro[1];
	while (isDigitByte(text.at(p))) p++;
	return done(text.at(p) !== 0 ? 1 : 0, micro[0] * 10 ** (6 - count));
}

interface ParsedDateTime {
	year: number;
	month: number;
	day: number;
	hour: number;
	minute: number;
	second: number;
	micro: number;
	/** Offset east of UTC in microseconds; undefined for a naive value. */
	offset: bigint | undefined;
}

function parseTime(text: Bytes, start: number, end: number): (TimeFields & {offset: bigint | undefined}) | undefined {
	let tzPosition = start;
	do {
		const byte = text.at(tzPosition);
		if (byte === 0x5a || byte === 0x2b || byte === 0x2d) break;
	} while (++tzPosition < end);
	const time = parseHhMmSsFf(text, start, tzPosition);
	if (time.rv < 0) return undefined;
	if (tzPosition === end) return time.rv === 1 ? undefined : {...time, offset: undefined};
	if (text.at(tzPosition) === 0x5a) return text.at(tzPosition + 1) !== 0 ? undefined : {...time, offset: 0n};
	const sign = text.at(tzPosition) === 0x2d ? -1n : 1n;
	const zone = parseHhMmSsFf(text, tzPosition + 1, end);
	if (zone.rv !== 0) return undefined;
	const seconds = BigInt(zone.hour * 3600 + zone.minute * 60 + zone.second);
	return {...time, offset: sign * (seconds * MICROS_PER_SECOND + BigInt(zone.micro))};
}

function fromIsoFormat(value: string): ParsedDateTime | undefined {
	// _sanitize_isoformat_str: at least 7 characters; a surrogate at a separator position becomes "T".
	const chars = Array.from(value);
	if (chars.length < 7) return undefined;
	for (const position of [7, 8, 10]) {
		if (position > chars.length) break;
		const code = chars[position]?.charCodeAt(0) ?? 0;
		if (code >= 0xd800 && code <= 0xdfff) {
			chars[position] = 'T';
			break;
		}
	}
	if (chars.some(char => char.length === 1 && char.charCodeAt(0) >= 0xd800 && char.charCodeAt(0) <= 0xdfff)) return undefined; // not encodable as UTF-8
	const text = new Bytes(new TextEncoder().encode(chars.join('')));
	const length = text.length;
	const separator = findSeparator(text);
	if (separator < 0) return undefined;
	const date = parseDate(text, separator);
	if (!date) return undefined;
	let time: (TimeFields & {offset: bigint | undefined}) | undefined = {rv: 0, hour: 0, minute: 0, second: 0, micro: 0, offset: undefined};
	if (length > separator) {
		// The separator may be any character; step over all of its UTF-8 bytes.
		const lead = text.at(separator);
		const width = (lead & 0x80) === 0 ? 1 : (lead & 0xf0) === 0xe0 ? 3 : (lead & 0xf0) === 0xf0 ? 4 : 2;
		time = parseTime(text, separator + width, length);
		if (!time) return undefined;
	}
	const [year, month, day] = date;
	if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
	if (time.hour > 23 || time.minute > 59 || time.second > 59) return undefined;
	if (time.offset !== undefined && (time.offset <= -MICROS_PER_DAY || time.offset >= MICROS_PER_DAY)) return undefined;
	return {year, month, day, hour: time.hour, minute: time.minute, second: time.second, micro: time.micro, offset: time.offset};
}

/**
 * CAVRA's `_parse_iso_datetime`: every `Z` becomes `+00:00`, `datetime.fromisoformat` reads
 * it, a naive value is taken as UTC and an aware one converted to UTC. Undefined where CAVRA
 * gets None, and also where its conversion to UTC would leave years 1–9999 (CAVRA crashes
 * with OverflowError there).
 */
export function parseCavraTimestamp(value: string): Instant | undefined {
	if (!value) return undefined;
	const parsed = fromIsoFormat(value.replaceAll('Z', '+00:00'));
	if (!parsed) return undefined;
	const days = BigInt(daysFromCivil(parsed.year, parsed.month, parsed.day));
	const seconds = BigInt(parsed.hour * 3600 + parsed.minute * 60 + parsed.second);
	const instant = days * MICROS_PER_DAY + seconds * MICROS_PER_SECOND + BigInt(parsed.micro) - (parsed.offset ?? 0n);
	return inRange(instant) ? instant : undefined;
}

/** `datetime.isoformat()` of an aware UTC datetime: `2026-11-29T03:00:00[.ffffff]+00:00`. */
export function formatIsoUtc(instant: Instant): string {
	const days = instant >= 0n ? instant / MICROS_PER_DAY : -((-instant + MICROS_PER_DAY - 1n) / MICROS_PER_DAY);
	const rest = instant - days * MICROS_PER_DAY;
	const [year, month, day] = civilFromDays(Number(days));
	const secondsOfDay = Number(rest / MICROS_PER_SECOND);
	const micro = Number(rest % MICROS_PER_SECOND);
	const two = (n: number) => String(n).padStart(2, '0');
	const time = `${two(Math.floor(secondsOfDay / 3600))}:${two(Math.floor(secondsOfDay / 60) % 60)}:${two(secondsOfDay % 60)}`;
	return `${String(year).padStart(4, '0')}-${two(month)}-${two(day)}T${time}${micro ? `.${String(micro).padStart(6, '0')}` : ''}+00:00`;
}

/**
 * `instant + timedelta(days=float(days))`, with the microsecond rounding of CPython's
 * timedelta constructor (whole days exact, the fraction through a double, ties to even).
 * Undefined where Python raises OverflowError (the delta or the result out of range).
 */
export function addDays(instant: Instant, days: bigint | number): Instant | undefined {
	const value = Number(days);
	if (!Number.isFinite(value)) return undefined;
	const whole = Math.trunc(value);
	const fraction = value - whole;
	let micros = BigInt(whole) * MICROS_PER_DAY;
	if (fraction !== 0) {
		const product = Number(MICROS_PER_DAY) * fraction;
		const productWhole = Math.trunc(product);
		micros += BigInt(productWhole);
		const leftover = product - productWhole;
		// C round(): half away from zero; |leftover| < 1.
		let rounded = Math.abs(leftover) >= 0.5 ? Math.sign(leftover) : 0;
		if (Math.abs(rounded - leftover) === 0.5) {
			const odd = micros % 2n === 0n ? 0 : 1;
			rounded = 2 * Math.round((leftover + odd) * 0.5) - odd;
		}
		micros += BigInt(rounded);
	}
	const deltaDays = micros >= 0n ? micros / MICROS_PER_DAY : -((-micros + MICROS_PER_DAY - 1n) / MICROS_PER_DAY);
	if (deltaDays > 999_999_999n || deltaDays < -999_999_999n) return undefined;
	const result = instant + micros;
	return inRange(result) ? result : undefined;
}

/** `round((later - earlier).total_seconds() / 86400, 4)`. */
export function daysBetween(later: Instant, earlier: Instant): number {
	return pyRound(intRatio(later - earlier, MICROS_PER_SECOND) / 86_400, 4);
}

export function instantFromDate(date: Date, extraMicroseconds = 0): Instant {
	return BigInt(date.getTime()) * 1000n + BigInt(extraMicroseconds);
}
