import {describe, expect, it} from 'vitest';
import {buildPanels, initialState, reduce, type DashboardState} from '../../../source/core/dashboard/index.js';
import {attachToPromotion} from '../../../source/core/evidence/attach.js';
import {promotionLink, type PromotionLink} from '../../../source/core/evidence/promotion.js';
import {PLAN_SHA, promotionFixtures, sampleFacts} from '../../fixtures/promotion/files.js';
import {config, reports, settings} from './fixtures.js';

const T0 = Date.UTC(2026, 11, 4, 19, 0, 0);

function planPanel(promotion: PromotionLink | undefined, state: DashboardState = initialState(config(), T0)) {
	const next = reduce(state, {type: 'local', at: T0 + 1000, reports: reports(), settings, stamps: {rollback: 'a'}, ...(promotion && {promotion})});
	return {state: next, panel: buildPanels(next).find(panel => panel.id === 'plan')!};
}

const texts = (lines: Array<{text: string}>) => lines.map(line => line.text);

describe('dashboard Plan panel: does the promotion evidence carry this plan?', () => {
	const attached = (attachToPromotion(promotionFixtures[0]!.text, sampleFacts()) as {text: string}).text;

	it('reads the attachment: this plan, an older plan, none, not promotion evidence', () => {
		expect(promotionLink(attached, PLAN_SHA)).toEqual({kind: 'attached', carriesPlan: true, attachedAt: '2026-12-04T19:00:00Z', forced: false});
		expect(promotionLink(attached, 'f'.repeat(64))).toMatchObject({kind: 'attached', carriesPlan: false});
		expect(promotionLink(promotionFixtures[0]!.text, PLAN_SHA)).toEqual({kind: 'not-attached'});
		expect(promotionLink('{"schema_version": "cavra.go-backend-rollback-plan.v1"}', PLAN_SHA)).toMatchObject({kind: 'invalid'});
		expect(promotionLink('{', PLAN_SHA)).toMatchObject({kind: 'invalid'});
	});

	it('says so in the panel (and its details), with when it was attached', () => {
		const {panel} = planPanel(promotionLink(attached, PLAN_SHA));
		expect(texts(panel.extra)).toContain('✔ promotion evidence carries this plan (attached 2026-12-04T19:00:00Z)');
		expect(texts(panel.details.find(section => section.title === 'Plan')!.lines)).toContain('✔ promotion evidence carries this plan (attached 2026-12-04T19:00:00Z)');
		expect(texts(planPanel(promotionLink(attached, 'f'.repeat(64))).panel.extra)).toContain('⚠ promotion evidence carries an older plan (attached 2026-12-04T19:00:00Z); run: cavra-rollback evidence attach');
		expect(texts(planPanel({kind: 'not-attached'}).panel.extra)).toContain('⚠ promotion evidence does not carry the rollback plan; run: cavra-rollback evidence attach');
		expect(texts(planPanel({kind: 'attached', carriesPlan: true, attachedAt: '\u001b]0;pwned\u0007', forced: true}).panel.extra).join('\n')).not.toContain('\u001b');
	});

	it('stays silent without promotion evidence configured, and a change of link is a change of the panel', () => {
		expect(texts(planPanel(undefined).panel.extra).join('\n')).not.toContain('promotion');
		expect(texts(planPanel({kind: 'not-configured'}).panel.extra).join('\n')).not.toContain('promotion');
		const first = planPanel({kind: 'not-attached'});
		const later = reduce(first.state, {type: 'local', at: T0 + 5000, reports: reports(), settings, stamps: {rollback: 'a'}, promotion: promotionLink(attached, PLAN_SHA)});
		expect(later.panels.plan.changedAt).toBe(T0 + 5000);
	});
});
