# bash completion for bootscope(1).  Loaded by bash-completion from
# share/bash-completion/completions/bootscope, or by hand with `source`.
# It needs nothing of bash-completion's own but uses its _filedir when
# that is there.  The options are the ones `bootscope --help' lists;
# tests/integration/docs.sh fails when the two lists drift apart.

_bootscope_files()
{
	# $1: -d for directories only
	if declare -F _filedir >/dev/null; then
		_filedir $1
	else
		local IFS=$'\n'
		COMPREPLY+=($(compgen ${1:--f} -- "$cur"))
	fi
}

_bootscope()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=
	local opts="--batch --check --profile --profile-out --no-events --at --json
		--timeout --reply-timeout --bios --bios-symbols --load --symbols --board --attach
		--gdb-port --gdb-socket --qemu --qemu-arg --smp
		--lang --lessons --no-mouse --help --version"
	COMPREPLY=()
	[ "$COMP_CWORD" -gt 0 ] && prev=${COMP_WORDS[COMP_CWORD - 1]}
	# --opt=value: bash splits it into --opt, =, value (= is in
	# COMP_WORDBREAKS), so the option is one or two words back.
	if [ "$cur" = "=" ]; then
		cur=
	elif [ "$prev" = "=" ] && [ "$COMP_CWORD" -gt 1 ]; then
		prev=${COMP_WORDS[COMP_CWORD - 2]}
	fi
	case $prev in
	--bios)
		COMPREPLY=($(compgen -W "default none" -- "$cur"))
		_bootscope_files
		return ;;
	--bios-symbols|--symbols|--lessons)
		_bootscope_files
		return ;;
	--profile-out)
		_bootscope_files -d
		return ;;
	--qemu)
		COMPREPLY=($(compgen -c -- "${cur:-qemu-system-}"))
		return ;;
	--lang)
		COMPREPLY=($(compgen -W "en zh" -- "$cur"))
		return ;;
	--board)
		COMPREPLY=($(compgen -W "virt pc" -- "$cur"))
		return ;;
	--smp)
		COMPREPLY=($(compgen -W "1 2 3 4 5 6 7 8" -- "$cur"))
		return ;;
	--attach)
		COMPREPLY=($(compgen -W "localhost:1234 unix:" -- "$cur"))
		[ ${#COMPREPLY[@]} -eq 1 ] && [ "${COMPREPLY[0]}" = unix: ] && compopt -o nospace 2>/dev/null
		return ;;
	--gdb-port)	# its value is optional, so only after =: --gdb-port=PORT
		[ "${COMP_WORDS[COMP_CWORD - 1]}" = "=" ] && return ;;
	--gdb-socket)
		[ "${COMP_WORDS[COMP_CWORD - 1]}" = "=" ] && { _bootscope_files; return; } ;;
	--at|--timeout|--reply-timeout|--load|--qemu-arg)
		return ;;	# a number, an address, anything: nothing to offer
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
		return
	fi
	_bootscope_files	# the kernel: an ELF or a raw image
}
complete -F _bootscope bootscope
