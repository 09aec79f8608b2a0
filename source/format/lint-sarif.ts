import path from 'node:path';
import type {FileReport, RuleMeta} from '../core/lint/finding.js';
import {escapeHiddenInJson} from '../core/text/sanitize.js';

/**
 * SARIF 2.1.0 for GitHub code scanning and other SARIF consumers. Paths are made relative to the
 * working directory with forward slashes (what code scanning maps to repository files);
 * public-safety results carry their fingerprint so re-runs dedupe.
 */
export function formatLintSarif(
	reports: readonly FileReport[],
	options: {rules: readonly RuleMeta[]; version: string; cwd: string; unreadable?: ReadonlyArray<{path: string; error: string}>},
): string {
	const unreadable = options.unreadable ?? [];
	const usedIds = new Set(reports.flatMap(report => report.findings.map(finding => finding.rule)));
	// Every rule, so consumers can show descriptions; plus any id a finding used that the catalogue lacks.
	const rules = [...options.rules];
	for (const id of usedIds) {
		if (!rules.some(rule => rule.id === id)) rules.push({id, category: 'public-safety', defaultSeverity: 'error', title: id, help: id});
	}
	const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));

	const log = {
		$schema: 'https://json.schemastore.org/sarif-2.1.0.json',
		version: '2.1.0',
		runs: [
			{
				tool: {
					driver: {
						name: 'cavra-rollback',
						semanticVersion: options.version,
						version: options.version,
						rules: rules.map(rule => ({
							id: rule.id,
							name: ruleName(rule.id),
							shortDescription: {text: rule.title},
							fullDescription: {text: `${rule.title}. ${rule.help}`},
							help: {text: rule.help},
							defaultConfiguration: {level: rule.defaultSeverity},
							properties: {tags: [rule.category, ...(rule.category === 'public-safety' ? ['security'] : [])]},
						})),
					},
				},
				invocations: [
					{
						executionSuccessful: unreadable.length === 0,
						toolExecutionNotifications: unreadable.map(entry => ({
							level: 'error',
							message: {text: entry.error},
							locations: [{physicalLocation: {artifactLocation: artifactLocation(entry.path, options.cwd)}}],
						})),
					},
				],
				columnKind: 'utf16CodeUnits',
				originalUriBaseIds: {SRCROOT: {uri: pathToDirUri(options.cwd)}},
				artifacts: reports.map(report => ({location: artifactLocation(report.path, options.cwd)})),
				results: reports.flatMap((report, artifactIndex) =>
					report.findings.map(finding => ({
						ruleId: finding.rule,
						ruleIndex: ruleIndex.get(finding.rule) ?? 0,
						level: finding.severity,
						message: {text: finding.message},
						locations: [
							{
								physicalLocation: {
									artifactLocation: {...artifactLocation(report.path, options.cwd), index: artifactIndex},
									region: {startLine: finding.line, startColumn: finding.column},
								},
								...(finding.pointer !== '' && {logicalLocations: [{fullyQualifiedName: finding.pointer, kind: 'member'}]}),
							},
						],
						...(finding.fingerprint && {partialFingerprints: {'cavraRollbackFingerprint/v1': finding.fingerprint}}),
						properties: {category: finding.category, pointer: finding.pointer},
					})),
				),
			},
		],
	};
	return `${escapeHiddenInJson(JSON.stringify(log, null, 2))}\n`;
}

function artifactLocation(file: string, cwd: string): {uri: string; uriBaseId?: string} {
	if (file === '-') return {uri: 'stdin'};
	const absolute = path.resolve(cwd, file);
	const relative = path.relative(cwd, absolute);
	if (!relative.startsWith('..') && !path.isAbsolute(relative)) {
		return {uri: relative.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: 'SRCROOT'};
	}
	return {uri: pathToFileUri(absolute)};
}

function pathToFileUri(absolute: string): string {
	return `file://${absolute.split(path.sep).map(encodeURIComponent).join('/')}`;
}

function pathToDirUri(dir: string): string {
	const uri = pathToFileUri(path.resolve(dir));
	return uri.endsWith('/') ? uri : `${uri}/`;
}

function ruleName(id: string): string {
	return id
		.split(/[/-]/)
		.map(part => part.charAt(0).toUpperCase() + part.slice(1))
		.join('');
}
