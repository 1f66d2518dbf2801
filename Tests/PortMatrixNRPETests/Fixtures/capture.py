#!/usr/bin/env python3
"""Capture raw NRPE packets between the real check_nrpe and the real nrpe daemon.

Runs a TCP relay on 127.0.0.1:LISTEN that forwards to the daemon on 127.0.0.1:TARGET and
writes, per connection N, the bytes the client sent to OUT/N.query.bin and the bytes the
daemon sent back to OUT/N.response.bin. Usage: capture.py LISTEN TARGET OUT
"""
import os, socket, sys, threading

listen, target, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
os.makedirs(out, exist_ok=True)
srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", listen)); srv.listen(16)
counter = 0

def pump(src, dst, path):
    with open(path, "wb") as f:
        while True:
            data = src.recv(65536)
            if not data:
                break
            f.write(data); f.flush(); dst.sendall(data)
    try: dst.shutdown(socket.SHUT_WR)
    except OSError: pass

while True:
    c, _ = srv.accept(); counter += 1
    u = socket.create_connection(("127.0.0.1", target))
    for s, d, n in ((c, u, "query"), (u, c, "response")):
        threading.Thread(target=pump, args=(s, d, f"{out}/{counter}.{n}.bin"), daemon=True).start()
