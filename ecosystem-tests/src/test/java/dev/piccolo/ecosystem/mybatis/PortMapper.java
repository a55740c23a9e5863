package dev.piccolo.ecosystem.mybatis;

import dev.piccolo.engine.UseNode;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Select;

/** Asks the server which port answered, through MyBatis. */
@Mapper
public interface PortMapper {

    @Select("SELECT inet_server_port()")
    Integer primary();

    @UseNode("read_replica_1")
    @Select("SELECT inet_server_port()")
    Integer replica();
}
