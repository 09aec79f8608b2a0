/**
 * The tiny Ansible callback plugin we ship (written into the run's private temp folder): it
 * replaces Ansible's screen output (a stdout callback, so nothing raw reaches the operator) and
 * appends one JSON line per host result to the file named by CAVRA_ANSIBLE_EVENTS. Only the
 * fields we read are kept; the slurped env file body is kept only for the probe task.
 * ansible-core ships no JSON stdout callback (`json` lives in ansible.posix), hence this.
 */
export const CALLBACK_NAME = 'cavra_events';

export const CALLBACK_PLUGIN_SOURCE = `# Written by cavra-rollback for one run; see source/core/ansible/callback-plugin.ts
from __future__ import annotations
import json
import os
import time
from ansible.plugins.callback import CallbackBase

KEEP = ('rc', 'msg', 'stderr', 'stdout', 'changed', 'backup_file', 'status', 'json', 'attempts', 'diff', 'content', 'stat')

class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'stdout'
    CALLBACK_NAME = '${CALLBACK_NAME}'

    def __init__(self):
        super().__init__()
        self._path = os.environ.get('CAVRA_ANSIBLE_EVENTS')

    def _emit(self, record):
        if not self._path:
            return
        with open(self._path, 'a', encoding='utf-8') as out:
            record['t'] = time.time()
            out.write(json.dumps(record, default=str) + '\\n')

    def _result(self, status, result):
        raw = result._result if isinstance(result._result, dict) else {}
        kept = {key: raw[key] for key in KEEP if key in raw}
        stat = kept.get('stat')
        if isinstance(stat, dict):
            kept['stat'] = {key: stat.get(key) for key in ('exists', 'mode', 'uid', 'gid', 'checksum', 'isreg')}
        self._emit({'event': 'result', 'status': status, 'host': result._host.get_name(), 'task': result._task.get_name(), 'result': kept})

    def v2_playbook_on_play_start(self, play):
        self._emit({'event': 'play', 'name': play.get_name()})

    def v2_runner_on_ok(self, result, **kwargs):
        self._result('ok', result)

    def v2_runner_on_failed(self, result, ignore_errors=False, **kwargs):
        self._result('failed', result)

    def v2_runner_on_unreachable(self, result, **kwargs):
        self._result('unreachable', result)

    def v2_runner_on_skipped(self, result, **kwargs):
        self._result('skipped', result)

    def v2_playbook_on_no_hosts_matched(self):
        self._emit({'event': 'no-hosts'})
`;
