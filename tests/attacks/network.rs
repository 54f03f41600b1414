//! Network: no route anywhere, from any language's socket API.

use std::time::Duration;

use super::{attack, python};
use crate::harness::Test;

#[test]
pub fn the_engine_and_the_host_network_are_unreachable() {
    let out = python(
        "import socket\nfor host, port in [('172.17.0.1', 2375), ('172.17.0.1', 2376), ('127.0.0.1', 2375), ('127.0.0.1', 2376), ('169.254.169.254', 80), ('10.0.0.1', 22)]:\n    try:\n        socket.create_connection((host, port), timeout=2)\n        print(host, port, 'CONNECTED')\n    except OSError:\n        print(host, port, 'refused')\n",
    );
    assert!(!out.contains("CONNECTED"), "{out}");
    assert_eq!(out.matches("refused").count(), 6);
}

#[test]
fn bash_dev_tcp_reaches_nothing() {
    let test = Test::new()
        .file(
            "net.sh",
            "for target in 1.1.1.1/443 8.8.8.8/53 172.17.0.1/2375 169.254.169.254/80; do\n\
             \x20 if (exec 3<>/dev/tcp/$target) 2>/dev/null; then echo \"$target CONNECTED\"; else echo \"$target refused\"; fi\n\
             done\n",
        )
        .args(["run", "net.sh"]);
    let out = attack(test, 0, Duration::from_secs(30));
    assert_eq!(
        out.stdout_str(),
        "1.1.1.1/443 refused\n8.8.8.8/53 refused\n172.17.0.1/2375 refused\n169.254.169.254/80 refused\n"
    );
}

#[test]
fn udp_dns_and_ipv6_have_no_route() {
    let out = python(
        "import errno, socket\n\
         servers = [l.split()[1] for l in open('/etc/resolv.conf') if l.startswith('nameserver')]\n\
         for server in ['8.8.8.8', '172.17.0.1'] + [s for s in servers if ':' not in s]:\n\
         \x20   try:\n        socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b'\\x12\\x34\\x01\\x00\\x00\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x07example\\x03com\\x00\\x00\\x01\\x00\\x01', (server, 53))\n        print('udp SENT')\n\
         \x20   except OSError as e:\n        print('udp', errno.errorcode[e.errno])\n\
         try:\n    socket.create_connection(('2606:4700:4700::1111', 443), timeout=2)\n    print('ipv6 CONNECTED')\nexcept OSError as e:\n    print('ipv6', errno.errorcode[e.errno])\n\
         try:\n    socket.getaddrinfo('deb.debian.org', 443)\n    print('dns RESOLVED')\nexcept OSError:\n    print('dns failed')\n",
    );
    assert!(
        out.starts_with("udp ENETUNREACH\nudp ENETUNREACH\n"),
        "{out}"
    );
    assert!(
        !out.contains("SENT") && !out.contains("CONNECTED") && !out.contains("RESOLVED"),
        "{out}"
    );
    assert!(out.ends_with("ipv6 ENETUNREACH\ndns failed\n"), "{out}");
}
