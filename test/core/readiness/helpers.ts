import {readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import type {ReadinessSettings, ReportName} from '../../../source/core/readiness/index.js';
import {readReadinessFiles} from '../../../source/io/readiness-files.js';
import {parseNow} from '../../../source/commands/readiness.js';

export const fixtureRoot = fileURLToPath(new URL('../../fixtures/readiness/', import.meta.url));

/** One entry of test/fixtures/readiness/cases.json; paths are relative to that folder. */
export interface GoldenCase {
	name: string;
	report: ReportName | 'all';
	now: string;
	mode?: string;
	plan?: string;
	rehearsal?: string;
	drillHistory?: string;
	drillSchedule?: string;
	maxAgeDays?: number;
	dueSoonDays?: number;
}

export function loadCases(): GoldenCase[] {
	return JSON.parse(readFileSync(path.join(fixtureRoot, 'cases.json'), 'utf8')) as GoldenCase[];
}

export function goldenText(name: string): string {
	return readFileSync(path.join(fixtureRoot, 'golden', `${name}.json`), 'utf8');
}

export function caseSettings(entry: GoldenCase): ReadinessSettings {
	return {
		mode: entry.mode ?? 'disabled',
		rollbackPlanPath: entry.plan ?? '',
		rollbackRehearsalPath: entry.rehearsal ?? '',
		rollbackDrillHistoryPath: entry.drillHistory ?? '',
		rollbackDrillMaxAgeDays: entry.maxAgeDays ?? 90,
		rollbackDrillSchedulePath: entry.drillSchedule ?? '',
		rollbackDrillDueSoonDays: entry.dueSoonDays ?? 14,
		...parseNow(entry.now),
	};
}

/** The case's files, read from the fixture folder while the report keeps the relative paths CAVRA would echo. */
export function caseFiles(settings: ReadinessSettings) {
	const inFixtures = (file: string) => (file === '' ? '' : path.join(fixtureRoot, file));
	return readReadinessFiles({
		rollbackPlanPath: inFixtures(settings.rollbackPlanPath),
		rollbackRehearsalPath: inFixtures(settings.rollbackRehearsalPath),
		rollbackDrillHistoryPath: inFixtures(settings.rollbackDrillHistoryPath),
		rollbackDrillSchedulePath: inFixtures(settings.rollbackDrillSchedulePath),
	});
}
