"""Prints, as RESP for redis-cli --pipe, ZADDs that fill bench:zset with 1000 members of
argv[1] bytes ("m<i>" padded with x), scores 0-999: the sorted set the ZRANGE rows read."""
import sys

size = int(sys.argv[1])
out = sys.stdout
for i in range(0, 1000, 100):
    args = ["ZADD", "bench:zset"]
    for j in range(i, i + 100):
        args += [str(j), ("m%d" % j).ljust(size, "x")]
    out.write("*%d\r\n" % len(args) + "".join("$%d\r\n%s\r\n" % (len(a), a) for a in args))
