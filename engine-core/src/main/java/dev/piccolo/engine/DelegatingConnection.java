package dev.piccolo.engine;

import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.NClob;
import java.sql.SQLException;
import java.sql.SQLXML;
import java.sql.Savepoint;
import java.sql.Struct;
import java.util.Map;
import java.util.Properties;

/**
 * The calls of a logical connection that the server connection serving the current unit of work answers
 * as it is: savepoints, LOB and array factories, and the getters whose answer is the server's. What
 * routing, transactions or recorded settings touch is {@link RoutedConnection}'s.
 */
abstract class DelegatingConnection implements Connection {

    /** The server connection for the work about to run, starting a unit of work when none is open. */
    abstract Connection serverConnection() throws SQLException;

    @Override
    public String nativeSQL(String sql) throws SQLException {
        return serverConnection().nativeSQL(sql);
    }

    @Override
    public String getCatalog() throws SQLException {
        return serverConnection().getCatalog();
    }

    @Override
    public Map<String, Class<?>> getTypeMap() throws SQLException {
        return serverConnection().getTypeMap();
    }

    @Override
    public int getHoldability() throws SQLException {
        return serverConnection().getHoldability();
    }

    @Override
    public String getClientInfo(String name) throws SQLException {
        return serverConnection().getClientInfo(name);
    }

    @Override
    public Properties getClientInfo() throws SQLException {
        return serverConnection().getClientInfo();
    }

    @Override
    public int getNetworkTimeout() throws SQLException {
        return serverConnection().getNetworkTimeout();
    }

    @Override
    public Savepoint setSavepoint() throws SQLException {
        return serverConnection().setSavepoint();
    }

    @Override
    public Savepoint setSavepoint(String name) throws SQLException {
        return serverConnection().setSavepoint(name);
    }

    @Override
    public void releaseSavepoint(Savepoint savepoint) throws SQLException {
        serverConnection().releaseSavepoint(savepoint);
    }

    @Override
    public Clob createClob() throws SQLException {
        return serverConnection().createClob();
    }

    @Override
    public Blob createBlob() throws SQLException {
        return serverConnection().createBlob();
    }

    @Override
    public NClob createNClob() throws SQLException {
        return serverConnection().createNClob();
    }

    @Override
    public SQLXML createSQLXML() throws SQLException {
        return serverConnection().createSQLXML();
    }

    @Override
    public Array createArrayOf(String typeName, Object[] elements) throws SQLException {
        return serverConnection().createArrayOf(typeName, elements);
    }

    @Override
    public Struct createStruct(String typeName, Object[] attributes) throws SQLException {
        return serverConnection().createStruct(typeName, attributes);
    }
}
