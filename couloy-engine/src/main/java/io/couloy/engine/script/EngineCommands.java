package io.couloy.engine.script;

import io.couloy.engine.CouloyDB;
import io.couloy.engine.Hashes;
import io.couloy.engine.InvalidValueException;
import io.couloy.engine.KeyType;
import io.couloy.engine.Lists;
import io.couloy.engine.WrongTypeException;
import io.couloy.engine.ZSets;
import io.couloy.engine.types.NumberText;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The commands an embedded script's {@code redis.call} reaches without a server: the common
 * string, key, hash, list, set and sorted-set commands, with Redis's replies and the error texts
 * Redis gives inside scripts.
 * The server replaces this with its whole command table.
 */
public final class EngineCommands implements CommandCaller {
    private static final Replies.Error WRONGTYPE =
            new Replies.Error("WRONGTYPE Operation against a key holding the wrong kind of value");

    private final CouloyDB db;

    public EngineCommands(CouloyDB db) {
        this.db = db;
    }

    @Override
    public Object call(List<byte[]> a) {
        String name = new String(a.get(0), StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
        try {
            return dispatch(name, a);
        } catch (WrongTypeException e) {
            return WRONGTYPE;
        } catch (InvalidValueException e) {
            return new Replies.Error("ERR " + e.getMessage());
        } catch (Arity e) {
            return new Replies.Error("ERR Wrong number of args calling Redis command from script");
        }
    }

    private static final class Arity extends RuntimeException {
        Arity() {
            super(null, null, false, false);
        }
    }

    private static void arity(List<byte[]> a, int min, int max) {
        if (a.size() < min || a.size() > max) {
            throw new Arity();
        }
    }

    private static long integer(byte[] b) {
        return NumberText.parseLong(b, "value is not an integer or out of range");
    }

    private Object dispatch(String name, List<byte[]> a) {
        int n = a.size();
        return switch (name) {
            case "get" -> {
                arity(a, 2, 2);
                yield db.get(a.get(1));
            }
            case "set" -> {
                arity(a, 3, 3);
                db.put(a.get(1), a.get(2));
                yield Replies.OK;
            }
            case "del" -> {
                arity(a, 2, Integer.MAX_VALUE);
                long deleted = 0;
                for (byte[] k : a.subList(1, n)) {
                    deleted += db.delete(k) ? 1 : 0;
                }
                yield deleted;
            }
            case "exists" -> {
                arity(a, 2, Integer.MAX_VALUE);
                long found = 0;
                for (byte[] k : a.subList(1, n)) {
                    found += db.exists(k) ? 1 : 0;
                }
                yield found;
            }
            case "incr" -> {
                arity(a, 2, 2);
                yield db.strings().incrementBy(a.get(1), 1);
            }
            case "decr" -> {
                arity(a, 2, 2);
                yield db.strings().incrementBy(a.get(1), -1);
            }
            case "incrby" -> {
                arity(a, 3, 3);
                yield db.strings().incrementBy(a.get(1), integer(a.get(2)));
            }
            case "decrby" -> {
                arity(a, 3, 3);
                yield db.strings().incrementBy(a.get(1), Math.negateExact(integer(a.get(2))));
            }
            case "append" -> {
                arity(a, 3, 3);
                yield db.strings().append(a.get(1), a.get(2));
            }
            case "strlen" -> {
                arity(a, 2, 2);
                yield db.strings().length(a.get(1));
            }
            case "expire", "pexpire" -> {
                arity(a, 3, 3);
                long t = integer(a.get(2));
                yield db.expire(a.get(1), name.equals("expire") ? Duration.ofSeconds(t) : Duration.ofMillis(t)) ? 1L : 0L;
            }
            case "ttl", "pttl" -> {
                arity(a, 2, 2);
                long ms = db.ttl(a.get(1));
                yield ms < 0 ? ms : name.equals("ttl") ? (ms + 500) / 1000 : ms;
            }
            case "type" -> {
                arity(a, 2, 2);
                KeyType t = db.type(a.get(1));
                yield new Replies.Status(t == null ? "none" : t.redisName());
            }
            case "hset" -> {
                if (n < 4 || n % 2 != 0) {
                    throw new Arity();
                }
                List<Hashes.FieldValue> fields = new ArrayList<>();
                for (int i = 2; i < n; i += 2) {
                    fields.add(new Hashes.FieldValue(a.get(i), a.get(i + 1)));
                }
                yield (long) db.hashes().set(a.get(1), fields);
            }
            case "hget" -> {
                arity(a, 3, 3);
                yield db.hashes().get(a.get(1), a.get(2));
            }
            case "hdel" -> {
                arity(a, 3, Integer.MAX_VALUE);
                yield (long) db.hashes().delete(a.get(1), a.subList(2, n));
            }
            case "hgetall" -> {
                arity(a, 2, 2);
                List<Object> out = new ArrayList<>();
                for (Hashes.FieldValue fv : db.hashes().entries(a.get(1))) {
                    out.add(fv.field());
                    out.add(fv.value());
                }
                yield out;
            }
            case "hincrby" -> {
                arity(a, 4, 4);
                yield db.hashes().incrementBy(a.get(1), a.get(2), integer(a.get(3)));
            }
            case "hlen" -> {
                arity(a, 2, 2);
                yield db.hashes().length(a.get(1));
            }
            case "hexists" -> {
                arity(a, 3, 3);
                yield db.hashes().exists(a.get(1), a.get(2)) ? 1L : 0L;
            }
            case "lpush", "rpush" -> {
                arity(a, 3, Integer.MAX_VALUE);
                yield name.equals("lpush") ? db.lists().pushLeft(a.get(1), a.subList(2, n))
                        : db.lists().pushRight(a.get(1), a.subList(2, n));
            }
            case "lpop", "rpop" -> {
                arity(a, 2, 2);
                yield db.lists().pop(a.get(1), name.equals("lpop") ? Lists.End.LEFT : Lists.End.RIGHT);
            }
            case "lrange" -> {
                arity(a, 4, 4);
                yield new ArrayList<Object>(db.lists().range(a.get(1), integer(a.get(2)), integer(a.get(3))));
            }
            case "llen" -> {
                arity(a, 2, 2);
                yield db.lists().length(a.get(1));
            }
            case "sadd" -> {
                arity(a, 3, Integer.MAX_VALUE);
                yield (long) db.sets().add(a.get(1), a.subList(2, n));
            }
            case "srem" -> {
                arity(a, 3, Integer.MAX_VALUE);
                yield (long) db.sets().remove(a.get(1), a.subList(2, n));
            }
            case "smembers" -> {
                arity(a, 2, 2);
                yield new ArrayList<Object>(db.sets().members(a.get(1)));
            }
            case "sismember" -> {
                arity(a, 3, 3);
                yield db.sets().contains(a.get(1), a.get(2)) ? 1L : 0L;
            }
            case "scard" -> {
                arity(a, 2, 2);
                yield db.sets().size(a.get(1));
            }
            case "zadd" -> {
                if (n < 4 || n % 2 != 0) {
                    throw new Arity();
                }
                List<ZSets.Entry> entries = new ArrayList<>();
                for (int i = 2; i < n; i += 2) {
                    entries.add(new ZSets.Entry(a.get(i + 1), score(a.get(i))));
                }
                yield db.zsets().add(a.get(1), entries, ZSets.AddOptions.NONE);
            }
            case "zscore" -> {
                arity(a, 3, 3);
                Double s = db.zsets().score(a.get(1), a.get(2));
                yield s == null ? null : scoreText(s);
            }
            case "zincrby" -> {
                arity(a, 4, 4);
                yield scoreText(db.zsets().increment(a.get(1), a.get(3), score(a.get(2)), ZSets.AddOptions.NONE));
            }
            case "zrange" -> {
                arity(a, 4, 4);
                List<Object> out = new ArrayList<>();
                for (ZSets.Entry e : db.zsets().rangeByRank(a.get(1), integer(a.get(2)), integer(a.get(3)), false)) {
                    out.add(e.member());
                }
                yield out;
            }
            case "zcard" -> {
                arity(a, 2, 2);
                yield db.zsets().size(a.get(1));
            }
            case "zrem" -> {
                arity(a, 3, Integer.MAX_VALUE);
                yield db.zsets().remove(a.get(1), a.subList(2, n));
            }
            default -> new Replies.Error("ERR Unknown Redis command called from script");
        };
    }

    private static double score(byte[] b) {
        String s = new String(b, StandardCharsets.US_ASCII);
        try {
            double d = switch (s.toLowerCase(Locale.ROOT)) {
                case "inf", "+inf" -> Double.POSITIVE_INFINITY;
                case "-inf" -> Double.NEGATIVE_INFINITY;
                default -> Double.parseDouble(s);
            };
            if (Double.isNaN(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new InvalidValueException("value is not a valid float");
        }
    }

    /** A score as Redis replies it (%.17g, shortest form). */
    private static byte[] scoreText(double d) {
        String s;
        if (Double.isInfinite(d)) {
            s = d > 0 ? "inf" : "-inf";
        } else if (d == Math.rint(d) && Math.abs(d) < 1e17) {
            s = Long.toString((long) d);
        } else {
            s = Double.toString(d);
        }
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
