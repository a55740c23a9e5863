package dev.piccolo.engine;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import dev.piccolo.engine.jdbc.WalPositions;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Read-your-writes over asynchronous replicas: work that wrote on the primary leaves the primary's
 * WAL position, taken after its commit, in its causal session; later reads of that session go to a
 * replica only once the replica has replayed that far. The replica is checked when it is chosen, from
 * the position last seen (by the health probe or an earlier check), else by asking it; when it is behind,
 * the read waits up to the engine's {@code max-wait} for it and then goes to the primary.
 *
 * <p>A causal session is what {@link #open} binds on a thread until it is closed: a web request (the
 * Spring Boot starter opens one per request from a cookie or header), or work that carries a
 * {@link ConsistencyToken} from another thread or service. Work on a thread with no session open is
 * the thread's own session: a read after a write on the same thread sees it.
 *
 * <pre>{@code
 * ConsistencyToken written = engine.readYourWrites().lastWrite();   // after the write, e.g. into a message
 * engine.readYourWrites().run(written, () -> repository.findById(id)); // elsewhere, later
 * }</pre>
 *
 * <p>Off unless the engine is built with it ({@link PostgresEngine.Builder#readYourWrites(Duration)}); off,
 * nothing is recorded or checked and sessions only carry the token they were given. Thread-safe.
 *
 * @since 0.2
 */
public final class ReadYourWrites {

    /**
     * The header a token travels in between processes: HTTP requests and responses (the Spring Boot
     * starter reads and writes it), and message headers (Kafka, JMS, AMQP), set by the producer from
     * {@link #lastWrite()} and read by the consumer with {@link #runAfter(String, Runnable)}.
     *
     * @since 0.3
     */
    public static final String HEADER = "Piccolo-Consistency-Token";

    private static final Logger logger = LoggerFactory.getLogger(ReadYourWrites.class);

    private final @Nullable Duration maxWait;

    private final RoutingListener listener;

    /** The session bound on each thread; no entry means the thread's own session. */
    private final ThreadLocal<Session> sessions = new ThreadLocal<>();

    /**
     * Each thread's own session: the position it must see and the {@link AfterWrite} stage of its last
     * write. A {@code long[]}, never an engine object, so the entry left on a pooled thread holds no class
     * loader.
     */
    private final ThreadLocal<long[]> threadSessions = new ThreadLocal<>();

    /** Where a thread's own session keeps its position in {@link #threadSessions}. */
    private static final int POSITION = 0;

    /** Where a thread's own session keeps the ordinal of its {@link AfterWrite} stage. */
    private static final int STAGE = 1;

    private static final AfterWrite[] STAGES = AfterWrite.values();

    /** What a session opened without a listener is told of its writes: nothing, so their positions may wait. */
    private static final Consumer<ConsistencyToken> NO_LISTENER = written -> {
    };

    /** How far the primary is known to have written, and the claims found beyond it. */
    private final PrimaryPositions primaryPositions;

    private final ClusterView cluster;

    /** The main node, asked for the position of a deferred write. */
    private final EngineNode primary;

    /** Whether a standby has replayed a session's writes, waiting for it. */
    private final StandbyCatchUp catchUp;

    ReadYourWrites(@Nullable Duration maxWait, RoutingListener listener, ClusterView cluster, EngineNode primary) {
        this.maxWait = maxWait;
        this.primary = primary;
        this.listener = listener;
        this.cluster = cluster;
        this.primaryPositions = new PrimaryPositions(cluster);
        this.catchUp = new StandbyCatchUp(cluster, listener, maxWait, this::token);
    }

    /**
     * Returns whether the engine records writes and checks replicas.
     *
     * @return {@code true} when read-your-writes is on
     */
    public boolean isEnabled() {
        return maxWait != null;
    }

    /**
     * Returns how long a read waits for a replica that is behind before it goes to the primary.
     *
     * @return the wait, or {@code null} when read-your-writes is off
     */
    public @Nullable Duration maxWait() {
        return maxWait;
    }

    /**
     * Returns what the causal session on this thread must see: the token it was opened with, or the
     * position of its last write, whichever is later. After an auto-commit write whose position was left
     * to be read when needed, reads it first: one round trip on a primary connection borrowed for at most
     * {@code max-wait}.
     *
     * @return the token, or {@code null} when the session has neither
     * @throws NodeUnavailableException when that position cannot be read: a token short of the write
     * would let its reader miss it
     */
    public @Nullable ConsistencyToken lastWrite() {
        if (afterWrite().positionUnread()) {
            readUnreadPositionForToken(sessions.get());
        }
        return token(required());
    }

    /** A token for {@code position}, bound to the cluster and timeline as far as they are known. */
    private @Nullable ConsistencyToken token(long position) {
        return position > 0 ? new ConsistencyToken(position, cluster.systemIdentifier(),
                primaryPositions.writeTimeline() > 0 ? primaryPositions.writeTimeline()
                        : cluster.primaryTimeline()) : null;
    }

    /**
     * What a token is worth here: nothing when it comes from another cluster; from an older timeline, at
     * most where the newest one began (what came after on the old one was lost in the failover, or is on
     * every server of the new one that replayed that far).
     */
    private long positionOf(@Nullable ConsistencyToken token) {
        if (token == null) {
            return 0;
        }
        long ours = cluster.systemIdentifier();
        if (token.cluster() != 0 && ours != 0 && token.cluster() != ours) {
            logger.debug("A token of another cluster ({}) is ignored", token);
            return 0;
        }
        int current = cluster.primaryTimeline();
        if (token.timeline() != 0 && token.timeline() < current && cluster.primaryTimelineStart() > 0) {
            return Math.min(token.walPosition(), cluster.primaryTimelineStart());
        }
        // The primary's timeline or a newer one (this engine has not seen the promotion yet, or the token
        // comes from a timeline the cluster discarded): a position beyond the primary's is checked with it.
        return token.walPosition();
    }

    /**
     * Opens a causal session on this thread until the returned session is closed, for try-with-resources;
     * close it on the same thread. Sessions nest: closing one binds the outer one again.
     *
     * @param after a token later reads must see (from an earlier write, possibly elsewhere; a token
     * further than the primary's own position is clamped to it), or {@code null} for none
     * @return the session
     */
    public Session open(@Nullable ConsistencyToken after) {
        return open(after, NO_LISTENER);
    }

    /**
     * Opens a causal session that also tells {@code onWrite} each time one of its writes moves its
     * position, e.g. to hand the token to the client before the response is sent.
     *
     * @param after a token later reads must see, or {@code null} for none
     * @param onWrite called on this thread with the session's token after each write
     * @return the session
     */
    public Session open(@Nullable ConsistencyToken after, Consumer<ConsistencyToken> onWrite) {
        Session session = new Session(sessions.get(), positionOf(after), onWrite);
        sessions.set(session);
        return session;
    }

    /**
     * Runs {@code body} in a causal session that must see {@code after}.
     *
     * @param after the token, or {@code null} for none
     * @param body the work
     */
    public void run(@Nullable ConsistencyToken after, Runnable body) {
        try (Session session = open(after)) {
            body.run();
        }
    }

    /**
     * Runs {@code body} in a causal session that must see the token a message or request carried in its
     * {@link #HEADER}, for a consumer of messages sent after a write:
     *
     * <pre>{@code
     * @KafkaListener(topics = "orders")
     * void on(Order order, @Header(name = ReadYourWrites.HEADER, required = false) String token) {
     *     engine.readYourWrites().runAfter(token, () -> shipping.prepare(order.id()));
     * }
     * }</pre>
     *
     * @param token the header's text, untrusted: {@code null} or text that is not a token means none
     * @param body the work
     * @since 0.3
     */
    public void runAfter(@Nullable String token, Runnable body) {
        run(ConsistencyToken.parse(token), body);
    }

    /**
     * Calls {@code body} in a causal session that must see {@code after}.
     *
     * @param <T> the result type
     * @param after the token, or {@code null} for none
     * @param body the work
     * @return what {@code body} returned
     * @throws Exception what {@code body} threw
     */
    public <T> T call(@Nullable ConsistencyToken after, Callable<T> body) throws Exception {
        try (Session session = open(after)) {
            return body.call();
        }
    }

    /** The position work on this thread must see, 0 for none: on the routing hot path, one or two thread-local reads. */
    long required() {
        Session session = sessions.get();
        if (session != null) {
            return session.position.get();
        }
        long[] own = threadSessions.get();
        return own != null ? own[POSITION] : 0;
    }

    /**
     * Defers reading the primary's position after an auto-commit write on {@code on} to when a read or a
     * token needs it ({@link AfterWrite}): only for the main node once the cluster's identity is known, and
     * not in a session whose listener must hand the token on as the write happens (a web response).
     *
     * @return {@code false} when the caller must read the position now
     */
    boolean deferred(ServerSession on) {
        if (!NodeNames.PRIMARY.equals(on.node().name()) || cluster.systemIdentifier() == 0) {
            return false;
        }
        Session session = sessions.get();
        if (session != null) {
            return session.defer();
        }
        threadSession()[STAGE] = AfterWrite.POSITION_UNREAD.ordinal();
        return true;
    }

    /** Where the thread's causal session stands with a write whose position is not read yet. */
    AfterWrite afterWrite() {
        Session session = sessions.get();
        if (session != null) {
            return session.stage;
        }
        long[] own = threadSessions.get();
        return own != null ? STAGES[(int) own[STAGE]] : AfterWrite.SETTLED;
    }

    /**
     * Notes that a read of the thread's causal session goes to the primary, its last write's position
     * unread: the next read reads it ({@link AfterWrite#PRIMARY_READ_POSITION_UNREAD}).
     */
    void readOnPrimary(EngineNode chosen) {
        Session session = sessions.get();
        if (session != null) {
            session.readOnPrimary();
        }
        else {
            long[] own = threadSession();
            own[STAGE] = afterReadOnPrimary(STAGES[(int) own[STAGE]]).ordinal();
        }
        listener.onReadYourWrites(chosen.name(), ReadYourWritesOutcome.PRIMARY);
    }

    /**
     * Reads the primary's position for the thread's session's unread write, over {@code onPrimary} when
     * the caller holds a session there, else over a connection borrowed for at most {@code max-wait}: a
     * position read after the write lies past it.
     *
     * @param onPrimary a connection to the primary the caller holds, in auto-commit mode, or {@code null}
     * @param mayBorrow whether the caller holds no other connection, so that it may borrow one
     * @return whether it was read; when not, the write's reads keep going to the primary
     */
    boolean readUnreadPosition(@Nullable Connection onPrimary, boolean mayBorrow) {
        Session session = sessions.get();
        if (onPrimary == null && !(mayBorrow && primary.status().up())) {
            return false;
        }
        try {
            return readUnreadPosition(session, onPrimary);
        }
        catch (SQLException ex) {
            logger.debug("Could not read node '{}''s position after a write; reads go on to it", primary.name(), ex);
            return false;
        }
    }

    /**
     * Makes the position of {@code session}'s unread write (the thread's own session's when {@code null})
     * known before a token of it is handed out.
     *
     * @throws NodeUnavailableException when the primary cannot be asked: a token short of the write would
     * let its reader miss it
     */
    private void readUnreadPositionForToken(@Nullable Session session) {
        try {
            if (readUnreadPosition(session, null)) {
                return;
            }
            throw new NodeUnavailableException(NodeNames.PRIMARY, "The primary's WAL position after an "
                    + "auto-commit write could not be read for its token: the server that answered is not the "
                    + "cluster's primary.", "Ask again once the main node reaches the primary.", null);
        }
        catch (SQLException ex) {
            throw new NodeUnavailableException(NodeNames.PRIMARY, "The primary's WAL position after an "
                    + "auto-commit write could not be read for its token: " + ex.getMessage(), "Ask again once the "
                    + "main node answers; a token short of the write would let its reader miss it.", ex);
        }
    }

    /** Reads the primary's position for {@code session}'s unread write; {@code false} when not the primary's. */
    private boolean readUnreadPosition(@Nullable Session session, @Nullable Connection onPrimary) throws SQLException {
        long deferrals = session != null ? session.deferrals() : 0;
        WalPositions.Written current = primaryNow(onPrimary);
        if (current == null) {
            return false;
        }
        if (session != null) {
            session.resolved(current.position(), deferrals);
        }
        else {
            long[] own = threadSession();
            own[POSITION] = Math.max(own[POSITION], current.position());
            own[STAGE] = AfterWrite.SETTLED.ordinal();
        }
        return true;
    }

    /**
     * The primary's position now, asked over {@code onPrimary} or over a connection borrowed for at most
     * {@code max-wait}, and recorded; {@code null} when the server that answered is not the cluster's
     * primary (a pooled connection may still reach a demoted or fenced server).
     */
    private WalPositions.@Nullable Written primaryNow(@Nullable Connection onPrimary) throws SQLException {
        WalPositions.Written current = onPrimary != null ? WalPositions.writtenOnTimeline(onPrimary, maxWait)
                : askPrimary();
        if (current == null || cluster.primaryTimeline() != 0 && current.timeline() != cluster.primaryTimeline()) {
            return null;
        }
        primaryPositions.seenAt(current.position(), current.timeline());
        return current;
    }

    private static AfterWrite afterReadOnPrimary(AfterWrite stage) {
        return switch (stage) {
            case POSITION_UNREAD, PRIMARY_READ_POSITION_UNREAD -> AfterWrite.PRIMARY_READ_POSITION_UNREAD;
            case POSITION_KNOWN, SETTLED -> AfterWrite.SETTLED;
        };
    }

    /** A write's position was read with it: the next read still goes to the primary ({@link AfterWrite#POSITION_KNOWN}). */
    private static AfterWrite afterRecorded(AfterWrite stage) {
        // A deferred write still unread stays so: its reads ask for its position.
        return stage == AfterWrite.SETTLED ? AfterWrite.POSITION_KNOWN : stage;
    }

    private long[] threadSession() {
        long[] own = threadSessions.get();
        if (own == null) {
            own = new long[2];
            threadSessions.set(own);
        }
        return own;
    }

    /**
     * Records that work on this thread committed on {@code on} a write that ends at {@code written}'s
     * position. The cluster's identity is learned only from the main node (tokens carry it); a write on a
     * server of another cluster (a writable extra node) is not tracked, its positions saying nothing of
     * this cluster's; before the identity is known, a write elsewhere binds the session but is not taken
     * as the primary's position.
     */
    void written(ServerSession on, WalPositions.Written written) throws SQLException {
        boolean onMainNode = NodeNames.PRIMARY.equals(on.node().name());
        boolean thePrimarys = onMainNode;
        if (cluster.systemIdentifier() == 0 && onMainNode) {
            learnCluster(on);
        }
        else if (!onMainNode && cluster.systemIdentifier() != 0) {
            if (cluster.ofAnotherCluster(on.serverReached(cluster))) {
                logger.debug("A write on node '{}', of another cluster, is not tracked", on.node().name());
                return;
            }
            thePrimarys = true;
        }
        long position = written.position();
        if (thePrimarys) {
            primaryPositions.seenAt(position, written.timeline());
        }
        Session session = sessions.get();
        if (session != null) {
            session.advance(position);
        }
        else {
            long[] own = threadSession();
            own[POSITION] = Math.max(own[POSITION], position);
            own[STAGE] = afterRecorded(STAGES[(int) own[STAGE]]).ordinal();
        }
    }

    /** Learns the cluster's identity from the main node once, when the probe has not read it. */
    private void learnCluster(ServerSession session) {
        try {
            cluster.learned(WalPositions.cluster(session.connection()));
        }
        catch (SQLException ex) {
            logger.debug("Could not read the cluster's system identifier on node '{}'", session.node().name(), ex);
        }
    }

    /**
     * Returns whether the server {@code session} reached has replayed what this thread's session must see,
     * waiting up to {@code max-wait} for it ({@link StandbyCatchUp}).
     *
     * @param session a session on the standby chosen for the work, in auto-commit mode
     * @param required what the session must see ({@link #trusted})
     * @return {@code false} when the work must go to the primary
     * @throws SQLException when the standby does not answer
     */
    boolean caughtUp(ServerSession session, long required) throws SQLException {
        return catchUp.caughtUp(session, required);
    }

    /**
     * Returns whether {@code required} is within what the primary is known to have written, so that a
     * standby can be asked to wait for it without asking the primary first.
     */
    boolean trusts(long required) {
        return required <= primaryPositions.known();
    }

    /**
     * What a requirement beyond the primary's known position is worth: a token from outside is untrusted,
     * and one further than the primary has ever been would send every read to the primary forever. The
     * primary is asked once, over {@code onPrimary} when the caller holds a session there, else over a
     * connection borrowed for at most {@code max-wait}, never while a standby's is held; when it cannot be
     * asked in time, or the probe finds it down, the requirement is clamped to what it was last seen to have.
     *
     * @param required what the thread's session asks for
     * @param onPrimary a connection to the primary the caller holds, in auto-commit mode, or {@code null}
     * @param mayBorrow whether the caller holds no other connection, so that it may borrow one
     * @return the requirement, no further than the primary has written
     */
    long trusted(long required, @Nullable Connection onPrimary, boolean mayBorrow) {
        if (required <= primaryPositions.known()) {
            return required;
        }
        boolean knownBeyond = primaryPositions.foundBeyondBefore(required);
        boolean answered = false;
        if (knownBeyond) {
            logger.debug("A token at {} was found beyond the primary before: clamped without asking", required);
        }
        else if (onPrimary != null || mayBorrow && primary.status().up()) {
            logger.debug("A token at {} is beyond every position seen: node '{}' is asked how far it has written",
                    required, primary.name());
            try {
                answered = primaryNow(onPrimary) != null;
            }
            catch (SQLException ex) {
                logger.debug("Could not ask node '{}' how far it has written; the token is clamped to what it was "
                        + "last seen to have", primary.name(), ex);
            }
        }
        long seen = primaryPositions.known();
        if (required > seen && seen > 0 && answered) {
            primaryPositions.foundBeyond(required);
        }
        if (required > seen && seen > 0) {
            Session session = sessions.get();
            if (session != null) {
                session.clamp(seen);
            }
            return seen;
        }
        return required;
    }

    /** {@code max-wait}, on the paths only read-your-writes being on leads to. */
    private Duration enabledMaxWait() {
        return Objects.requireNonNull(maxWait, "read-your-writes is off");
    }

    private WalPositions.@Nullable Written askPrimary() throws SQLException {
        Duration wait = enabledMaxWait();
        try (Connection connection = primary.connectionWithin(wait)) {
            return WalPositions.writtenOnTimeline(connection, wait);
        }
    }

    /**
     * Where a causal session stands with its last write. The read right after a write goes to the
     * primary, which has it, without a word to a standby. The position of an auto-commit write on the main
     * node is read only when needed: by the read after that one, once, and from then on standbys that have
     * replayed it serve the session; a token asked for meanwhile ({@link #lastWrite()},
     * {@link Session#token()}) reads it at once.
     */
    enum AfterWrite {

        /** No read since a write is owed to the primary, and every write's position is known. */
        SETTLED,

        /** A write's position is not read yet; the next read goes to the primary. */
        POSITION_UNREAD,

        /** A read went to the primary since; the next read reads the position first. */
        PRIMARY_READ_POSITION_UNREAD,

        /**
         * A write's position was read with it (in its commit's round trip, or because the session hands it
         * on); the next read still goes to the primary, as a standby has rarely replayed a write of a moment
         * ago and finding out would take a round trip, and the one after that to a standby that has.
         */
        POSITION_KNOWN;

        /** Whether a write's position is still to be read. */
        boolean positionUnread() {
            return this == POSITION_UNREAD || this == PRIMARY_READ_POSITION_UNREAD;
        }
    }

    /** A causal session bound on a thread by {@link #open}; closing it binds the outer one again. */
    public final class Session implements AutoCloseable {

        private final @Nullable Session outer;

        private final AtomicLong position;

        private final Consumer<ConsistencyToken> onWrite;

        private boolean closed;

        /**
         * Whether its writes' positions may be read when needed: neither it nor a session it is nested in
         * has a listener, which must hand the token on as the write happens.
         */
        private final boolean defers;

        /** Where it stands with its last write; volatile, as a caller may hand the session to another thread. */
        private volatile AfterWrite stage = AfterWrite.SETTLED;

        /** How many writes were deferred, so that a position read before the latest is not taken for it. */
        private long deferrals;

        private Session(@Nullable Session outer, long position, Consumer<ConsistencyToken> onWrite) {
            this.outer = outer;
            this.position = new AtomicLong(position);
            this.onWrite = onWrite;
            this.defers = onWrite == NO_LISTENER && (outer == null || outer.defers);
        }

        /**
         * Returns what this session's reads must see, to hand on to later work; reads the position of an
         * auto-commit write first when it is still unread, as {@link #lastWrite()} does.
         *
         * @return the token, or {@code null} when it was opened with none and has not written
         * @throws NodeUnavailableException when that position cannot be read
         */
        public @Nullable ConsistencyToken token() {
            if (stage.positionUnread()) {
                readUnreadPositionForToken(this);
            }
            return ReadYourWrites.this.token(position.get());
        }

        /**
         * Notes a write whose position waits ({@link #deferred}); {@code false} when this session or one it
         * is nested in hands its token on as it writes, and needs the position now.
         */
        private synchronized boolean defer() {
            if (!defers) {
                return false;
            }
            deferrals++;
            stage = AfterWrite.POSITION_UNREAD;
            return true;
        }

        private synchronized void readOnPrimary() {
            stage = afterReadOnPrimary(stage);
        }

        private synchronized long deferrals() {
            return deferrals;
        }

        /** Takes the position read for the deferred writes counted up to {@code deferralsBefore}. */
        private synchronized void resolved(long written, long deferralsBefore) {
            position.accumulateAndGet(written, Math::max);
            if (deferrals == deferralsBefore) {
                // No write was deferred since the position was asked for: it lies past all of them.
                stage = AfterWrite.SETTLED;
            }
        }

        private void advance(long written) {
            synchronized (this) {
                stage = afterRecorded(stage);
            }
            if (position.accumulateAndGet(written, Math::max) == written) {
                onWrite.accept(ReadYourWrites.this.token(written));
            }
        }

        private void clamp(long seen) {
            position.accumulateAndGet(seen, Math::min);
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                if (outer != null) {
                    long own = position.get();
                    if (outer.position.getAndAccumulate(own, Math::max) < own) {
                        outer.onWrite.accept(ReadYourWrites.this.token(own));
                    }
                    if (stage.positionUnread()) {
                        // Deferred here, so the outer session defers too ({@link #defers}).
                        outer.defer();
                    }
                    sessions.set(outer);
                }
                else {
                    sessions.remove();
                }
            }
        }
    }
}
