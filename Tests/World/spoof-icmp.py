#!/usr/bin/env python3
"""Forge ICMP time-exceeded errors for TCP connections the sender does not own.

    spoof-icmp.py FROM TO TARGET DPORT SPORT-LOW SPORT-HIGH SECONDS

From FROM (an address of this namespace) to TO, each error quoting a TCP segment
TO:sport -> TARGET:DPORT for every sport in [SPORT-LOW, SPORT-HIGH] with a random
sequence number: what an attacker on the path who knows the 4-tuple, but not the
sequence number, can send. The kernel must drop all of them (out-of-window ICMP).
"""
import random, socket, struct, sys, time


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    total = (total >> 16) + (total & 0xFFFF)
    total += total >> 16
    return ~total & 0xFFFF


def quoted(src, dst, sport, dport):
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 60, random.randrange(65536), 0x4000, 1, 6, 0,
                     socket.inet_aton(src), socket.inet_aton(dst))
    ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
    return ip + struct.pack("!HHI", sport, dport, random.randrange(1 << 32))


def main():
    if len(sys.argv) != 8:
        sys.exit("usage: spoof-icmp.py FROM TO TARGET DPORT SPORT-LOW SPORT-HIGH SECONDS")
    frm, to, target, dport, low, high, seconds = sys.argv[1:8]
    raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    raw.bind((frm, 0))
    end = time.time() + float(seconds)
    sent = 0
    while time.time() < end:
        for sport in range(int(low), int(high) + 1):
            body = quoted(to, target, sport, int(dport))
            header = struct.pack("!BBHI", 11, 0, 0, 0)
            packet = header[:2] + struct.pack("!H", checksum(header + body)) + header[4:] + body
            raw.sendto(packet, (to, 0))
            sent += 1
        time.sleep(0.01)
    print(sent)


if __name__ == "__main__":
    main()
