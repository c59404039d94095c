package io.orch.responder.replay;

import io.orch.protocol.Limits;
import io.orch.protocol.envelope.Codec;
import io.orch.responder.state.StateFolder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request ids a node has seen, each kept until it expires, in memory and in the file
 * {@value #FILE_NAME} of the node's state folder, so that a captured request is refused after a
 * restart (or a reboot) too.
 *
 * <p>The file is an append-only log of lines {@code <forget after, epoch s> <id>}, created readable
 * and writable by its owner only. It is read once, at {@link #open}: expired ids are dropped,
 * unreadable lines skipped with one warning, and a last line cut short by a crash is tolerated.
 * The file is rewritten without the expired lines (to a temporary file, fsynced, renamed) when
 * they are most of it. An id whose request may lead to a reboot ({@code durable}) is on disk
 * before {@link #firstSeen} returns; other ids may stay in the OS buffers.
 *
 * <p>One caller's ids take at most {@link Limits#MAX_LIVE_REQUEST_IDS_PER_CALLER} of the room, so
 * that one certificate holder cannot fill the memory for the others. Who sent an id is known in
 * memory only: ids read back at start count against the whole, not against any caller's share.
 *
 * <p>Cheap per node, so that the lab can run a thousand in one JVM: no thread, no file held open,
 * a map of the live ids only, and expired ids swept at most once a minute.
 */
public final class SeenRequests {
    private static final Logger log = LoggerFactory.getLogger(SeenRequests.class);

    /** The file in the state folder. */
    public static final String FILE_NAME = "seen-requests";
    /**
     * No id is kept longer than this from now, whatever the file says: longer than any request can
     * live (ttl_s at most an hour, clock skew at most 5 minutes either way). A node whose clock was
     * once far ahead thus does not carry its ids for days.
     */
    static final Duration LONGEST_KEPT = Duration.ofHours(2);
    /** The file is rewritten once it holds this many lines and twice as many as there are live ids. */
    /** Expired ids are dropped from memory at most this often (or when the memory is full). */
    static final long SWEEP_INTERVAL_S = 60;
    /** A line is at most 20 digits, a space and an id (room to spare). */
    private static final int MAX_LINE = 22 + Limits.MAX_REQUEST_ID_CHARS + 10;

    private final StateFolder folder;
    private final Path dir;
    private final Path file;
    private final Clock clock;
    private final int maxLiveIds;
    private final int maxPerCaller;
    /** Live id → the epoch second after which it is forgotten, and who sent it. */
    private final Map<String, Kept> live = new HashMap<>();
    /** Live ids per caller; a caller with none is not in it. */
    private final Map<String, Integer> perCaller = new HashMap<>();
    /** Lines in the file, readable or not. */
    private long fileLines;
    /** The earliest "forget after" in {@link #live}: nothing to sweep before it. */
    private long earliest = Long.MAX_VALUE;
    private long nextSweep;
    /** False while a file created by this instance may not yet be in its folder on disk. */
    private boolean dirSynced = true;
    /** True after a failed append was logged, until one succeeds: one warning per failure, not per request. */
    private boolean appendFailing;

    /** One live id: kept until the epoch second {@code until}; {@code caller} null when read back at start. */
    private record Kept(long until, String caller) {
    }

    private SeenRequests(StateFolder folder, Clock clock, int maxLiveIds, int maxPerCaller) {
        this.folder = folder;
        this.dir = folder.dir();
        this.file = folder.resolve(FILE_NAME);
        this.clock = clock;
        this.maxLiveIds = maxLiveIds;
        this.maxPerCaller = maxPerCaller;
    }

    /**
     * Reads the ids kept in {@code stateDir} (creating the folder and the file as needed) and checks
     * that the folder can be written.
     *
     * @throws IOException saying which path and why, when the folder or file cannot be read or written:
     *                     a node must not run without its replay memory
     */
    public static SeenRequests open(Path stateDir, Clock clock) throws IOException {
        return open(StateFolder.open(stateDir), clock, Limits.MAX_LIVE_REQUEST_IDS,
                Limits.MAX_LIVE_REQUEST_IDS_PER_CALLER);
    }

    /** As {@link #open(Path, Clock)}, holding at most {@code maxLiveIds} (tests reach the limit this way). */
    public static SeenRequests open(Path stateDir, Clock clock, int maxLiveIds) throws IOException {
        return open(StateFolder.open(stateDir), clock, maxLiveIds, Limits.MAX_LIVE_REQUEST_IDS_PER_CALLER);
    }

    /** As {@link #open(Path, Clock)}, with room for {@code maxLiveIds} ids, {@code maxPerCaller} of one caller. */
    public static SeenRequests open(Path stateDir, Clock clock, int maxLiveIds, int maxPerCaller) throws IOException {
        return open(StateFolder.open(stateDir), clock, maxLiveIds, maxPerCaller);
    }

    /** As {@link #open(Path, Clock)}, in a state folder already opened (and checked). */
    public static SeenRequests open(StateFolder folder, Clock clock) throws IOException {
        return open(folder, clock, Limits.MAX_LIVE_REQUEST_IDS, Limits.MAX_LIVE_REQUEST_IDS_PER_CALLER);
    }

    private static SeenRequests open(StateFolder folder, Clock clock, int maxLiveIds, int maxPerCaller)
            throws IOException {
        if (maxLiveIds <= 0 || maxPerCaller <= 0) {
            throw new IllegalArgumentException("maxLiveIds and maxPerCaller must be positive, got " + maxLiveIds
                    + " and " + maxPerCaller);
        }
        SeenRequests seen = new SeenRequests(folder, clock, maxLiveIds, maxPerCaller);
        seen.load();
        return seen;
    }

    /** The state folder the file is in, which the journal and the audit share. */
    public StateFolder folder() {
        return folder;
    }

    /** The file the ids are kept in. */
    public Path file() {
        return file;
    }

    /** How many ids are kept now (expired ones included until the next sweep). */
    public synchronized int size() {
        return live.size();
    }

    /** How many live ids {@code caller} has (0 for one never heard from or all expired, after a sweep). */
    public synchronized int size(String caller) {
        return perCaller.getOrDefault(caller, 0);
    }

    /**
     * Whether {@code requestId} is kept: a repeat. Only looks, so that the gate can refuse a
     * replay before the rate limits count it, and store an id only once every check passed.
     */
    public synchronized boolean seen(String requestId) {
        return live.containsKey(requestId);
    }

    /** As {@link #firstSeen(String, String, Instant, boolean)} for an id that counts against no caller's share. */
    public boolean firstSeen(String requestId, Instant keepUntil, boolean durable) throws ReplayMemoryException {
        return firstSeen(requestId, null, keepUntil, durable);
    }

    /**
     * Records {@code requestId} until {@code keepUntil}, unless it was seen before.
     *
     * @param caller    who sent it (the verified signer), whose share of the memory it takes; null for none
     * @param keepUntil the last instant the request could still be accepted (its expiry plus the allowed
     *                  clock skew); the id is kept at least until then
     * @param durable   force the id to disk before returning: the request may lead to a reboot, and the id
     *                  must survive it
     * @return true the first time an id is seen, false for a repeat
     * @throws ReplayMemoryException when the id cannot be kept: the memory is full of live ids
     *                               ({@link Limits#MAX_LIVE_REQUEST_IDS}), or a durable id could not be written
     * @throws ReplayShareException  when {@code caller} already has its share of live ids
     * @throws IllegalArgumentException for an id that is not a plain id ({@link Codec#validId})
     */
    public synchronized boolean firstSeen(String requestId, String caller, Instant keepUntil, boolean durable)
            throws ReplayMemoryException {
        if (!Codec.validId(requestId)) {
            throw new IllegalArgumentException("not a plain request id: '" + requestId + "'");
        }
        if (live.containsKey(requestId)) {
            return false;
        }
        long now = clock.instant().getEpochSecond();
        sweepIfDue(now, caller != null && size(caller) >= maxPerCaller);
        if (live.size() >= maxLiveIds) {
            throw new ReplayMemoryException("replay memory full (" + maxLiveIds + " live request ids); new "
                    + "requests are refused until some expire (each at created_at + ttl_s + clock skew)");
        }
        if (caller != null && size(caller) >= maxPerCaller) {
            throw new ReplayShareException("replay memory share of this caller full (" + maxPerCaller
                    + " live request ids, limit MAX_LIVE_REQUEST_IDS_PER_CALLER); its new requests are refused "
                    + "until some expire (each at created_at + ttl_s + clock skew)");
        }
        long until = ceilSeconds(keepUntil);
        live.put(requestId, new Kept(until, caller));
        if (caller != null) {
            perCaller.merge(caller, 1, Integer::sum);
        }
        earliest = Math.min(earliest, until);
        try {
            append(until + " " + requestId + "\n", durable);
            if (appendFailing) {
                appendFailing = false;
                log.info("replay memory {} is written again", file);
            }
        } catch (IOException e) {
            if (durable) {
                log.error("cannot record request id {} in {}: {}", requestId, file, why(e));
                throw new ReplayMemoryException("cannot record the request id in " + file + " (" + why(e)
                        + "); not acting on a request that could be replayed after a restart", e);
            }
            if (!appendFailing) {
                appendFailing = true;
                log.warn("cannot append to the replay memory {} ({}); ids are kept in memory only until it "
                        + "works again, and reboot and cancel requests are refused", file, why(e));
            }
        }
        return true;
    }

    /** @param callerFull the caller at hand has its whole share: sweep now, as for a full memory */
    private void sweepIfDue(long now, boolean callerFull) {
        boolean full = live.size() >= maxLiveIds || callerFull;
        if (now <= earliest || (now < nextSweep && !full)) {
            return;
        }
        nextSweep = now + SWEEP_INTERVAL_S;
        live.values().removeIf(kept -> {
            if (kept.until() >= now) {
                return false;
            }
            if (kept.caller() != null) {
                perCaller.computeIfPresent(kept.caller(), (c, n) -> n > 1 ? n - 1 : null);
            }
            return true;
        });
        earliest = live.values().stream().mapToLong(Kept::until).min().orElse(Long.MAX_VALUE);
        if (fileLines >= Limits.REPLAY_FILE_COMPACT_AT_LINES && fileLines > 2L * live.size()) {
            try {
                compact();
            } catch (IOException e) {
                // The log still holds every live id; it is only longer than it needs to be.
                log.warn("cannot rewrite the replay memory {} without its expired ids ({}); trying again in {}s",
                        file, why(e), SWEEP_INTERVAL_S);
            }
        }
    }

    private void load() throws IOException {
        long now = clock.instant().getEpochSecond();
        long latest = now + LONGEST_KEPT.toSeconds();
        Loaded loaded = new Loaded();
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
                read(in, now, latest, loaded);
            } catch (IOException e) {
                throw cannot("read " + file, e);
            }
        } else {
            dirSynced = false;
        }
        earliest = live.values().stream().mapToLong(Kept::until).min().orElse(Long.MAX_VALUE);
        nextSweep = now + SWEEP_INTERVAL_S;
        if (loaded.unreadable > 0) {
            log.warn("replay memory {}: skipped {} unreadable line(s), the first at line {}; the ids on them are "
                    + "forgotten", file, loaded.unreadable, loaded.firstUnreadable);
        }
        if (loaded.shortened) {
            log.warn("replay memory {}: some ids were to be kept further ahead than {}h (was the clock ahead?); "
                    + "they are kept {}h from now", file, LONGEST_KEPT.toHours(), LONGEST_KEPT.toHours());
        }
        if (loaded.cutShort) {
            log.info("replay memory {}: the last line was cut short (the node stopped while writing it)", file);
        }
        try {
            if (loaded.unreadable > 0 || loaded.cutShort || loaded.shortened
                    || (fileLines >= Limits.REPLAY_FILE_COMPACT_AT_LINES && fileLines > 2L * live.size())) {
                // Rewritten clean: the next line must not be appended to a half line.
                compact();
            } else {
                probe();
            }
        } catch (IOException e) {
            throw cannot("write in the state folder " + dir, e);
        }
        log.debug("replay memory {}: {} live id(s) of {} line(s)", file, live.size(), loaded.lines);
    }

    /** What reading the file found. */
    private static final class Loaded {
        long lines;
        long unreadable;
        long firstUnreadable;
        boolean cutShort;
        /** Some "forget after" was further ahead than {@link #LONGEST_KEPT}: written back shortened. */
        boolean shortened;
    }

    private void read(InputStream in, long now, long latest, Loaded loaded) throws IOException {
        StringBuilder line = new StringBuilder(MAX_LINE);
        boolean tooLong = false;
        byte[] buffer = new byte[64 * 1024];
        int n;
        while ((n = in.read(buffer)) != -1) {
            for (int i = 0; i < n; i++) {
                byte b = buffer[i];
                if (b != '\n') {
                    if (line.length() < MAX_LINE) {
                        line.append((char) (b & 0xff));
                    } else {
                        tooLong = true;
                    }
                    continue;
                }
                loaded.lines++;
                if (tooLong || !take(line, now, latest, loaded)) {
                    loaded.unreadable++;
                    if (loaded.firstUnreadable == 0) {
                        loaded.firstUnreadable = loaded.lines;
                    }
                }
                line.setLength(0);
                tooLong = false;
            }
        }
        if (line.length() > 0 || tooLong) {
            // Cut short by a crash mid-write: that request was never acted on, so its id need not be
            // kept; what can be read of it is kept anyway, which is never less safe.
            loaded.lines++;
            loaded.cutShort = true;
            if (!tooLong) {
                take(line, now, latest, loaded);
            }
        }
        fileLines = loaded.lines;
    }

    /** Keeps the id of one line unless it expired; false when the line cannot be read. */
    private boolean take(CharSequence line, long now, long latest, Loaded loaded) {
        int space = -1;
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) == ' ') {
                space = i;
                break;
            }
        }
        if (space < 1 || space > 18) {
            return false;
        }
        long until = 0;
        for (int i = 0; i < space; i++) {
            char c = line.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
            until = until * 10 + (c - '0');
        }
        String id = line.subSequence(space + 1, line.length()).toString();
        if (!Codec.validId(id)) {
            return false;
        }
        if (until > latest) {
            loaded.shortened = true;
            until = latest;
        }
        if (until >= now) {
            live.merge(id, new Kept(until, null), (a, b) -> a.until() >= b.until() ? a : b);
        }
        return true;
    }

    private void append(String line, boolean durable) throws IOException {
        try (FileChannel out = folder.append(FILE_NAME)) {
            folder.write(FILE_NAME, out, ByteBuffer.wrap(line.getBytes(StandardCharsets.US_ASCII)));
            if (durable) {
                folder.force(FILE_NAME, out);
            }
        }
        fileLines++;
        if (durable && !dirSynced) {
            folder.syncDir();
            dirSynced = true;
        }
    }

    /** Writes the live ids to a new file and puts it in place of the old one. */
    private void compact() throws IOException {
        folder.replace(FILE_NAME, out -> {
            StringBuilder text = new StringBuilder(64 * 1024);
            for (Map.Entry<String, Kept> id : live.entrySet()) {
                text.append(id.getValue().until()).append(' ').append(id.getKey()).append('\n');
                if (text.length() > 60 * 1024) {
                    out.write(ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.US_ASCII)));
                    text.setLength(0);
                }
            }
            out.write(ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.US_ASCII)));
        });
        dirSynced = true;
        fileLines = live.size();
    }

    /** Proves at start that the file and the folder (where a rewrite goes) can be written. */
    private void probe() throws IOException {
        folder.append(FILE_NAME).close(); // opened for writing (and created if absent); nothing written
        folder.probe(FILE_NAME, new byte[0]);
    }

    private static long ceilSeconds(Instant instant) {
        return instant.getNano() == 0 ? instant.getEpochSecond() : instant.getEpochSecond() + 1;
    }

    private IOException cannot(String what, IOException e) {
        return new IOException("replay memory: cannot " + what + " (" + why(e) + "); the responder keeps the ids "
                + "of the requests it has seen there, so that none is acted on twice, not even after a restart", e);
    }

    /** The OS's reason in a few words; Java's own message is often just the path. */
    static String why(IOException e) {
        return StateFolder.why(e);
    }
}
