package dev.piccolo.engine.autoconfigure.metrics;

import dev.piccolo.engine.EngineNode;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;

/** Tags HikariCP's meters of the engine's pools ({@code pool=piccolo-<node>}) with {@code node=<node>}. */
final class NodeTagMeterFilter implements MeterFilter {

    @Override
    public Meter.Id map(Meter.Id id) {
        String pool = id.getName().startsWith("hikaricp.") ? id.getTag("pool") : null;
        if (pool == null || !pool.startsWith(EngineNode.POOL_NAME_PREFIX)) {
            return id;
        }
        return id.withTag(Tag.of(PiccoloMeter.Tag.NODE.key(), pool.substring(EngineNode.POOL_NAME_PREFIX.length())));
    }
}
