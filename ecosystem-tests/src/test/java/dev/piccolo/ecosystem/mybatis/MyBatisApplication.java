package dev.piccolo.ecosystem.mybatis;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/** An application using mybatis-spring-boot-starter; its mapper ({@link PortMapper}) is an interface only. */
@SpringBootConfiguration
@EnableAutoConfiguration
public class MyBatisApplication {
}
