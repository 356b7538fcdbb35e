# Shared by the bench scripts: a one-worker nginx on 127.0.0.1 serving a 17-byte file, and
# apt_install for the tools a script needs.
# Source it, then call start_nginx after setting:
#   tmp    a temporary directory (config, pid, logs, document root go there)
#   port   the port to listen on (free_port gives one)
#   NGINX_CONNECTIONS  optional: worker_connections, and worker_rlimit_nofile when above
#                      1024 (default 1024)
# start_nginx pins nginx to CPU 1, waits until it accepts, and sets nginx_pid; stop_nginx
# ends it. Both expect a `die` function.

# A TCP port on 127.0.0.1 nobody listens on (the kernel's pick, released at once).
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null && return
    local p
    for _ in $(seq 50); do
        p=$(shuf -i 20000-60000 -n 1)
        (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
    done
    die "no free port found"
}

start_nginx() {
    local connections=${NGINX_CONNECTIONS:-1024} rlimit=""
    [ "$connections" -le 1024 ] || rlimit="worker_rlimit_nofile $connections;"
    mkdir -p "$tmp/www" "$tmp/temp"
    printf 'hello from nginx\n' >"$tmp/www/index.html"
    # nginx's workers run as nobody when started by root: they must be able to read the file.
    chmod 755 "$tmp" "$tmp/www"
    chmod 644 "$tmp/www/index.html"
    cat >"$tmp/nginx.conf" <<CONF
worker_processes 1;
$rlimit
daemon off;
pid $tmp/nginx.pid;
error_log $tmp/error.log warn;
events { worker_connections $connections; }
http {
    access_log off;
    keepalive_requests 10000000;
    keepalive_timeout 600s;
    client_body_temp_path $tmp/temp/client_body;
    proxy_temp_path $tmp/temp/proxy;
    fastcgi_temp_path $tmp/temp/fastcgi;
    uwsgi_temp_path $tmp/temp/uwsgi;
    scgi_temp_path $tmp/temp/scgi;
    server {
        listen 127.0.0.1:$port backlog=16384;
        root $tmp/www;
        index index.html;
    }
}
CONF
    local nginx_bin
    nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
    taskset -c 1 "$nginx_bin" -p "$tmp" -e "$tmp/error.log" -c "$tmp/nginx.conf" &
    nginx_pid=$!
    for _ in $(seq 100); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return; fi
        kill -0 "$nginx_pid" 2>/dev/null || die "nginx did not start: $(cat "$tmp/error.log" 2>/dev/null)"
        sleep 0.05
    done
    die "nginx is not listening on 127.0.0.1:$port after 5 s"
}

stop_nginx() {
    if [ -n "${nginx_pid:-}" ] && kill -0 "$nginx_pid" 2>/dev/null; then
        kill -QUIT "$nginx_pid" 2>/dev/null || true
        for _ in $(seq 40); do kill -0 "$nginx_pid" 2>/dev/null || break; sleep 0.05; done
        kill -KILL "$nginx_pid" 2>/dev/null || true
        wait "$nginx_pid" 2>/dev/null || true
    fi
}

# apt_install PACKAGE...: installs the named Debian packages (the caller lists only the
# missing ones; nothing happens for an empty list), with sudo when not root, and one
# `apt-get update` retry for a stale package index.
apt_install() {
    [ $# -gt 0 ] || return 0
    echo "installing: $*"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo apt-get install -y "$@" >/dev/null ||
        { $sudo apt-get update >/dev/null && $sudo apt-get install -y "$@" >/dev/null; }
}
