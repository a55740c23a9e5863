package dev.piccolo.engine;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;

import org.jspecify.annotations.Nullable;

/**
 * The logical connection as its statements and metadata see it: the {@code Connection} they answer to
 * {@code getConnection()}, told before each statement runs, and asked for the metadata of the server
 * session serving now. Lets them sit below {@link RoutedConnection} rather than beside it.
 */
interface LogicalConnection extends Connection {

    /**
     * Called by a statement before it executes on {@code statementSession}.
     *
     * @param sessionState the session state the statement sets ({@code SET}, an advisory lock), which pins
     * the session to this connection; {@code null} when it sets none
     */
    void executing(ServerSession statementSession, @Nullable String sessionState) throws SQLException;

    /** The metadata of the server session serving now. */
    DatabaseMetaData serverMetaData() throws SQLException;
}
