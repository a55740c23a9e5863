package dev.piccolo.engine.autoconfigure.aot;

import java.sql.Connection;
import java.sql.ResultSet;

import com.zaxxer.hikari.HikariConfig;
import dev.piccolo.engine.UseNode;
import net.ttddyy.dsproxy.proxy.ProxyJdbcObject;
import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.core.io.support.SpringFactoriesLoader;

import static org.assertj.core.api.Assertions.assertThat;

class PiccoloRuntimeHintsTests {

    @Test
    void registrarIsListedForSpringAot() {
        assertThat(SpringFactoriesLoader.forResourceLocation("META-INF/spring/aot.factories")
                .load(RuntimeHintsRegistrar.class)).hasAtLeastOneElementOfType(PiccoloRuntimeHints.class);
    }

    @Test
    void hikariSettersUseNodeAndQueryLoggingProxiesAreRegistered() throws Exception {
        RuntimeHints hints = new RuntimeHints();
        new PiccoloRuntimeHints().registerHints(hints, getClass().getClassLoader());

        assertThat(RuntimeHintsPredicates.reflection()
                .onMethodInvocation(HikariConfig.class.getMethod("setConnectionTimeout", long.class))).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onType(UseNode.class)).accepts(hints);
        assertThat(RuntimeHintsPredicates.proxies().forInterfaces(ProxyJdbcObject.class, Connection.class))
                .accepts(hints);
        assertThat(RuntimeHintsPredicates.proxies().forInterfaces(ProxyJdbcObject.class, ResultSet.class))
                .accepts(hints);
    }
}
