# sshd: SSH on SSH_PORT with its own ed25519 host key; no authentication method is usable.
peer_port SSH_PORT 12222 tcp
peer_exe sshd

sshd_config() {
    ssh-keygen -q -t ed25519 -N '' -C portmatrix-peers -f "$D/ssh_host_ed25519_key" >/dev/null
    cat >"$D/sshd_config" <<EOF
Port $SSH_PORT
ListenAddress 127.0.0.1
$(if_v6 "ListenAddress ::1")
HostKey $D/ssh_host_ed25519_key
PidFile $D/run/sshd.pid
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin no
AuthorizedKeysFile none
StrictModes no
PrintMotd no
LogLevel INFO
EOF
}

sshd_start() {
    # /run/sshd: sshd's compiled-in privilege separation dir, must exist;
    # an absolute path to sshd, which re-executes itself
    mkdir -p /run/sshd && chmod 755 /run/sshd
    launch sshd /usr/sbin/sshd -D -e -f "$D/sshd_config"
    expect sshd "tcp:$SSH_PORT"
}

sshd_env() {
    echo "SSH_HOST_KEY_PUB=$D/ssh_host_ed25519_key.pub"
}

sshd_check() {
    local out
    out=$(timeout 10 ssh-keyscan -T 5 -t ed25519 -p "$SSH_PORT" 127.0.0.1 2>/dev/null)
    if echo "$out" | grep -qF "$(cut -d' ' -f2 "$SSH_HOST_KEY_PUB")"; then ok ssh
    else fail ssh "ssh-keyscan did not return our host key"; fi
    out=$("$PLUGINS/check_ssh" -H 127.0.0.1 -p "$SSH_PORT" -t 5 2>&1)
    [ $? = 0 ] && ok ssh-banner || fail ssh-banner "$out"
}
