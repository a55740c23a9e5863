package dev.piccolo.ecosystem.mybatis;

import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;

/** Writes {@code mybatis_entry} rows, a round of items at a time. */
@Mapper
public interface EntryMapper {

    @Insert("INSERT INTO mybatis_entry (round, item) VALUES (#{round}, #{item})")
    void insert(@Param("round") int round, @Param("item") int item);

    /**
     * Inserts items 1 to {@code size} of {@code round}: one statement text, executed {@code size} times, which a
     * REUSE executor prepares once and a BATCH executor sends as one batch.
     *
     * @param round the round
     * @param size how many items
     */
    default void insertRound(int round, int size) {
        for (int item = 1; item <= size; item++) {
            insert(round, item);
        }
    }
}
