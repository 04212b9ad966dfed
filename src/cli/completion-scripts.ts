// The scripts `k8snet completion bash|zsh|fish` prints. Each one asks `k8snet __complete` (see
// completion.ts) for candidates and honours its directive: 2 = no space after the candidate
// (a "namespace/" prefix), 4 = no file names, 0 with no candidates = complete file names.

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

const BASH = `# bash completion for k8snet (\`k8snet completion bash\`)
# Install: source <(k8snet completion bash)   or   k8snet completion bash > /etc/bash_completion.d/k8snet
_k8snet_complete() {
  local cur="\${COMP_WORDS[COMP_CWORD]}"
  local -a args=()
  local i w
  # bash splits "--flag=value" at "="; glue the pieces back together
  for (( i = 1; i <= COMP_CWORD; i++ )); do
    w="\${COMP_WORDS[i]}"
    if [[ $w == "=" || (\${#args[@]} -gt 0 && \${args[-1]} == *= ) ]]; then
      args[-1]+="$w"
    else
      args+=("$w")
    fi
  done
  cur="\${args[-1]}"
  local out
  out=$("\${COMP_WORDS[0]}" __complete "\${args[@]}" 2>/dev/null) || return 0
  local IFS=$'\\n'
  local -a lines=($out)
  [[ \${#lines[@]} -gt 0 ]] || return 0
  local directive="\${lines[-1]#:}"
  unset 'lines[-1]'
  [[ $directive =~ ^[0-9]+$ ]] || return 0
  (( directive & 1 )) && return 0
  (( directive & 2 )) && compopt -o nospace 2>/dev/null
  if [[ \${#lines[@]} -eq 0 ]]; then
    (( directive & 4 )) && return 0
    compopt -o filenames 2>/dev/null
    COMPREPLY=($(compgen -f -- "$cur"))
    return 0
  fi
  local prefix=""
  # for "--flag=value" bash replaces only the part after "="
  [[ $cur == --*=* ]] && prefix="\${cur%%=*}="
  COMPREPLY=($(compgen -W "\${lines[*]}" -- "$cur"))
  if [[ -n $prefix ]]; then
    COMPREPLY=("\${COMPREPLY[@]#"$prefix"}")
  fi
  return 0
}
complete -F _k8snet_complete k8snet
`;

const ZSH = `#compdef k8snet
# zsh completion for k8snet (\`k8snet completion zsh\`)
# Install: k8snet completion zsh > "\${fpath[1]}/_k8snet"   or   source <(k8snet completion zsh)
_k8snet() {
  local out directive
  local -a lines
  out=$(\${words[1]} __complete "\${(@)words[2,CURRENT]}" 2>/dev/null) || return 1
  lines=("\${(@f)out}")
  directive=\${lines[-1]#:}
  lines=("\${(@)lines[1,-2]}")
  [[ $directive == <-> ]] || return 1
  (( directive & 1 )) && return 1
  if (( \${#lines} == 0 )); then
    (( directive & 4 )) && return 1
    _files
    return
  fi
  if (( directive & 2 )); then
    compadd -Q -S '' -- "\${lines[@]}"
  else
    compadd -Q -- "\${lines[@]}"
  fi
}
if [[ "\${funcstack[1]}" == "_k8snet" ]]; then
  _k8snet "$@"
else
  compdef _k8snet k8snet
fi
`;

const FISH = `# fish completion for k8snet (\`k8snet completion fish\`)
# Install: k8snet completion fish > ~/.config/fish/completions/k8snet.fish
function __k8snet_complete
    set -l args (commandline -opc)
    set -l prog $args[1]
    set -e args[1]
    set -l cur (commandline -ct)
    set -l out (command $prog __complete $args $cur 2>/dev/null)
    or return
    test (count $out) -gt 0; or return
    set -l directive (string replace -r '^:' '' -- $out[-1])
    set -e out[-1]
    string match -qr '^[0-9]+$' -- $directive; or return
    if test (math "bitand($directive, 1)") -ne 0
        return
    end
    if test (count $out) -eq 0
        if test (math "bitand($directive, 4)") -eq 0
            __fish_complete_path $cur
        end
        return
    end
    printf '%s\\n' $out
end
complete -c k8snet -f -a '(__k8snet_complete)'
`;

export function completionScript(shell: Shell): string {
  return shell === 'bash' ? BASH : shell === 'zsh' ? ZSH : FISH;
}
