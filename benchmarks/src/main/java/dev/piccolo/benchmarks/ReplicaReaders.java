package dev.piccolo.benchmarks;

import com.baomidou.dynamic.datasource.annotation.DS;
import dev.piccolo.engine.UseNode;

import org.springframework.jdbc.core.JdbcTemplate;

/** The same read code three ways: plain, with {@code @UseNode}, with dynamic-datasource's {@code @DS}. */
final class ReplicaReaders {

    private ReplicaReaders() {
    }

    /** Reads with no routing at all: the baseline, given a JdbcTemplate on a raw pool to the replica. */
    public static class Plain {

        private final JdbcTemplate jdbc;

        public Plain(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        public Integer selectOne() {
            return jdbc.queryForObject("SELECT 1", Integer.class);
        }

        public String findName(int id) {
            return jdbc.queryForObject(BenchmarkCluster.FIND_NAME, String.class, id);
        }

        public int noQuery(int value) {
            return value + 1;
        }
    }

    /** Reads routed by {@code @UseNode("read_replica_1")}. */
    public static class Piccolo {

        private final JdbcTemplate jdbc;

        public Piccolo(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        @UseNode("read_replica_1")
        public Integer selectOne() {
            return jdbc.queryForObject("SELECT 1", Integer.class);
        }

        @UseNode("read_replica_1")
        public String findName(int id) {
            return jdbc.queryForObject(BenchmarkCluster.FIND_NAME, String.class, id);
        }

        @UseNode("read_replica_1")
        public String findNameAndStock(int id) {
            return jdbc.queryForObject(BenchmarkCluster.FIND_NAME_AND_STOCK,
                    (row, number) -> row.getString(1) + row.getInt(2), id);
        }

        @UseNode("read_replica_1")
        public int noQuery(int value) {
            return value + 1;
        }
    }

    /** Reads routed by dynamic-datasource's {@code @DS("read_replica_1")}. */
    public static class DynamicDatasource {

        private final JdbcTemplate jdbc;

        public DynamicDatasource(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        @DS("read_replica_1")
        public Integer selectOne() {
            return jdbc.queryForObject("SELECT 1", Integer.class);
        }

        @DS("read_replica_1")
        public String findName(int id) {
            return jdbc.queryForObject(BenchmarkCluster.FIND_NAME, String.class, id);
        }

        @DS("read_replica_1")
        public int noQuery(int value) {
            return value + 1;
        }
    }
}
