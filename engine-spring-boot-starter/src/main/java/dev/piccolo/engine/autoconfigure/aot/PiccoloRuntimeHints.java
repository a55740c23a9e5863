package dev.piccolo.engine.autoconfigure.aot;

import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import dev.piccolo.engine.UseNode;
import net.ttddyy.dsproxy.proxy.ProxyJdbcObject;
import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/**
 * What a native image needs for the engine: {@code piccolo.db.pool.*} is bound onto
 * {@link HikariConfig} through its setters, {@link UseNode} is read reflectively, and query logging
 * makes datasource-proxy's JDK proxies of the JDBC interfaces.
 *
 * @since 0.1
 */
public final class PiccoloRuntimeHints implements RuntimeHintsRegistrar {

    @Override
    public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
        hints.reflection().registerType(HikariConfig.class, MemberCategory.INVOKE_PUBLIC_CONSTRUCTORS,
                MemberCategory.INVOKE_PUBLIC_METHODS);
        hints.reflection().registerType(UseNode.class, MemberCategory.INVOKE_PUBLIC_METHODS);
        for (Class<?> jdbcType : new Class<?>[] { DataSource.class, Connection.class, Statement.class,
                PreparedStatement.class, CallableStatement.class, ResultSet.class }) {
            hints.proxies().registerJdkProxy(ProxyJdbcObject.class, jdbcType);
        }
    }
}
