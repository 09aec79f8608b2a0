/**
 * The shell completion scripts `cavra-rollback completion bash|zsh|fish` prints. They hold no list
 * of commands or flags: on each Tab they ask `cavra-rollback __complete WORDS…` (the words typed
 * so far, the last one being completed), which answers from the command table and each command's
 * own commander definition, one candidate a line. No candidate → the shell completes file names.
 */

export const shells = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof shells)[number];

export function completionScript(shell: Shell, program = 'cavra-rollback'): string {
	switch (shell) {
		case 'bash':
			return `# bash completion for ${program}. Load it with: eval "$(${program} completion bash)"
# (in ~/.bashrc), or save it as /etc/bash_completion.d/${program}.
_${fn(program)}() {
	local IFS=$'\\n'
	COMPREPLY=($(${program} __complete "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
	return 0
}
complete -o default -o bashdefault -F _${fn(program)} ${program}
`;
		case 'zsh':
			return `#compdef ${program}
# zsh completion for ${program}. Load it with: eval "$(${program} completion zsh)" in ~/.zshrc
# after compinit, or save it as _${program} in a folder of your $fpath.
_${fn(program)}() {
	local -a candidates
	candidates=("\${(@f)$(${program} __complete "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
	if (( \${#candidates} )) && [[ -n "\${candidates[1]}" ]]; then
		compadd -Q -- "\${candidates[@]}"
	else
		_files
	fi
}
if (( $+functions[compdef] )); then
	compdef _${fn(program)} ${program}
fi
`;
		case 'fish':
			return `# fish completion for ${program}. Load it with: ${program} completion fish | source
# (in ~/.config/fish/config.fish), or save it as ~/.config/fish/completions/${program}.fish.
function __${fn(program)}_complete
	set -l words (commandline -opc) (commandline -ct)
	set -l candidates (${program} __complete $words[2..-1] 2>/dev/null)
	if test (count $candidates) -gt 0
		printf '%s\\n' $candidates
	else
		__fish_complete_path (commandline -ct)
	end
end
complete -c ${program} -f -a '(__${fn(program)}_complete)'
`;
	}
}

/** A shell function name from the program name (`cavra-rollback` → `cavra_rollback`). */
function fn(program: string): string {
	return program.replace(/[^A-Za-z0-9_]/g, '_');
}
