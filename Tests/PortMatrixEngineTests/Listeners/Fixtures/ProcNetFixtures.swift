/// /proc/net socket tables captured on the Debian 12 build machine (Linux, x86_64) on 2026-11-29,
/// while a helper process held these loopback sockets open:
///
/// | table | socket | state | inode |
/// |---|---|---|---|
/// | tcp | 127.0.0.1:49341 | LISTEN | 84483 |
/// | tcp | 0.0.0.0:2024 | LISTEN (a resident service, owner not visible) | 1530 |
/// | tcp | 127.0.0.1:52306 -> 127.0.0.1:49341 | ESTABLISHED | 84486 |
/// | tcp | 127.0.0.1:49341 <- 127.0.0.1:52306 | ESTABLISHED (accepted) | 84487 |
/// | tcp6 | ::ffff:127.0.0.1:55797 (dual-stack) | LISTEN | 84485 |
/// | tcp6 | ::1:55879 | LISTEN | 84484 |
/// | udp | 127.0.0.1:53821 -> 127.0.0.1:60797 | connected | 84490 |
/// | udp | 127.0.0.1:60797 | unconnected | 84488 |
/// | udp6 | ::1:44549 | unconnected | 84489 |
///
/// Kept as Swift literals rather than resource files: the test target declares no resources.
enum ProcNetFixtures {
    /// /proc/net/tcp
    static let tcp = """
  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode                                                     
   0: 0100007F:C0BD 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 84483 1 00000000452e03f4 100 0 0 10 0                     
   1: 00000000:07E8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1530 1 00000000f10401c2 100 0 0 10 0                      
   2: 0100007F:CC52 0100007F:C0BD 01 00000000:00000000 00:00000000 00000000     0        0 84486 2 00000000c1db150b 20 0 0 10 -1                     
   3: 0100007F:C0BD 0100007F:CC52 01 00000000:00000000 00:00000000 00000000     0        0 84487 1 0000000053a664ce 20 0 0 10 -1                     
"""

    /// /proc/net/tcp6
    static let tcp6 = """
  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0000000000000000FFFF00000100007F:D9F5 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 84485 1 000000006f3bbe5d 100 0 0 10 0
   1: 00000000000000000000000001000000:DA47 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 84484 1 00000000792b6d21 100 0 0 10 0
"""

    /// /proc/net/udp
    static let udp = """
   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops            
 8144: 0100007F:D23D 0100007F:ED7D 01 00000000:00000000 00:00000000 00000000     0        0 84490 2 000000005410581d 0         
15120: 0100007F:ED7D 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 84488 2 00000000f07a6365 0         
"""

    /// /proc/net/udp6
    static let udp6 = """
  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
15256: 00000000000000000000000001000000:AE05 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 84489 2 000000002210d0a5 0
"""
}
