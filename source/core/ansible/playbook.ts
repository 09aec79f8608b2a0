/**
 * The two playbooks a fleet rollback runs, generated here and written as JSON (which YAML reads
 * as is, so no value from the config can break out of its string). The only Jinja is ours plus
 * the documented `{{ name }}` host variables the schema allows in inventory, hosts, envFile,
 * restart and verify.url. Pure.
 *
 * - probe: read each host's env file (stat + slurp); nothing changes. Preflight and the start of
 *   the rollback run it; unreachable hosts and unreadable files show up here.
 * - apply: per host, in `serial` batches where a failure stops the fleet: refuse when the file
 *   changed since the probe, copy the content we patched in TypeScript (the same editor as local
 *   env files; copy keeps owner and mode of the existing file, `backup` keeps the old one), run
 *   the restart, then check the verify URL from the controller.
 */
import type {AnsibleService} from '../config/schema.js';

export const TASK = {
	order: 'cavra play order',
	stat: 'cavra stat env file',
	slurp: 'cavra read env file',
	probeVerify: 'cavra probe verify',
	unchanged: 'cavra env file unchanged since probe',
	setMode: 'cavra set mode',
	restart: 'cavra restart',
	verify: 'cavra verify',
} as const;

/** Ansible's `hash('sha1')` of the host name names the host's patched file in the run folder. */
export const PATCHED_FILE_EXPRESSION = "{{ cavra_dir }}/{{ inventory_hostname | hash('sha1') }}.env";

export const VERIFY_DELAY_SECONDS = 1;
/** Without a budget (tests, a direct adapter call): one minute of tries. */
export const DEFAULT_VERIFY_SECONDS = 60;

/** `verify`: also ask each host's verify URL once (a resumed run: is the host already done?). */
export function probePlaybook(service: AnsibleService, options: {verify?: boolean} = {}): unknown[] {
	const verify = options.verify && service.verify
		? [{name: TASK.probeVerify, 'ansible.builtin.uri': {url: service.verify.url, return_content: false, timeout: Math.max(1, Math.ceil((service.verify.timeoutMs ?? 3000) / 1000))}, delegate_to: 'localhost', failed_when: false}]
		: [];
	return [
		{
			name: `cavra probe ${service.name}`,
			hosts: service.hosts,
			gather_facts: false,
			tasks: [
				// Play order (inventory order): what `serial` batches follow. Results arrive as hosts finish.
				{name: TASK.order, 'ansible.builtin.debug': {msg: '{{ ansible_play_hosts_all }}'}, run_once: true},
				{name: TASK.stat, 'ansible.builtin.stat': {path: service.envFile, get_checksum: true, checksum_algorithm: 'sha1'}},
				{name: TASK.slurp, 'ansible.builtin.slurp': {src: service.envFile}},
				...verify,
			],
		},
	];
}

export interface ApplyOptions {
	mode: string;
	timeoutMs: number;
	/** How long verify may try, at most: the recovery budget left when the apply starts. */
	verifySeconds?: number;
}

/**
 * Verify tries until the host answers the mode or the recovery deadline (`cavra_verify_deadline`,
 * epoch seconds, in vars.json) has passed, whichever comes first; then it fails unless the mode
 * is right. The deadline is the run's countdown, so a later batch gets only what is left.
 */
export function verifyCondition(expect: string): {answered: string; until: string} {
	const answered = `(cavra_verify.json is defined and (cavra_verify.json.mode | default('') | string | trim | lower) == '${expect}')`;
	return {answered, until: `${answered} or (now(utc=true, fmt='%s') | int) >= (cavra_verify_deadline | int)`};
}

export function applyPlaybook(service: AnsibleService, options: ApplyOptions): unknown[] {
	const seconds = Math.max(1, Math.ceil(options.timeoutMs / 1000));
	const tasks: unknown[] = [
		{name: `${TASK.unchanged} (stat)`, 'ansible.builtin.stat': {path: service.envFile, get_checksum: true, checksum_algorithm: 'sha1'}, register: 'cavra_stat'},
		{
			name: TASK.unchanged,
			'ansible.builtin.fail': {msg: 'the env file changed since it was read (or is gone): nothing written; run the rollback again'},
			when: "not cavra_stat.stat.exists or cavra_stat.stat.checksum != cavra_expect[inventory_hostname] | default('')",
		},
		{name: TASK.setMode, 'ansible.builtin.copy': {src: PATCHED_FILE_EXPRESSION, dest: service.envFile, backup: true}},
		restartTask(service, options.mode, seconds),
	];
	if (service.verify) {
		const expect = service.verify.expectMode ?? options.mode;
		const condition = verifyCondition(expect);
		tasks.push({
			name: TASK.verify,
			'ansible.builtin.uri': {url: service.verify.url, return_content: false, timeout: Math.max(1, Math.ceil((service.verify.timeoutMs ?? 3000) / 1000))},
			delegate_to: 'localhost',
			register: 'cavra_verify',
			until: condition.until,
			failed_when: `not ${condition.answered}`,
			retries: Math.max(1, Math.ceil((options.verifySeconds ?? DEFAULT_VERIFY_SECONDS) / VERIFY_DELAY_SECONDS)),
			delay: VERIFY_DELAY_SECONDS,
		});
	}
	return [
		{
			name: `cavra rollback ${service.name}`,
			hosts: service.hosts,
			gather_facts: false,
			serial: service.serial ?? '100%',
			any_errors_fatal: true,
			max_fail_percentage: 0,
			tasks,
		},
	];
}

/**
 * The preview: the apply's own change-the-file tasks (the same `copy` of the same patched bytes),
 * for `ansible-playbook --check --diff`, where `copy` reports the file before and after and
 * writes nothing. No restart, no verify.
 */
export function checkPlaybook(service: AnsibleService): unknown[] {
	const [play] = applyPlaybook(service, {mode: 'disabled', timeoutMs: 1000}) as Array<{tasks: Array<{name: string}>}>;
	return [{...play, serial: '100%', tasks: play!.tasks.filter(task => task.name !== TASK.restart && task.name !== TASK.verify)}];
}

function restartTask(service: AnsibleService, mode: string, seconds: number): unknown {
	if (service.systemd !== undefined) {
		return {name: TASK.restart, 'ansible.builtin.systemd': {name: service.systemd, state: 'restarted', daemon_reload: true}, timeout: seconds};
	}
	return {name: TASK.restart, 'ansible.builtin.command': {argv: service.restart}, environment: {CAVRA_GO_BACKEND_MODE: mode}, timeout: seconds};
}
