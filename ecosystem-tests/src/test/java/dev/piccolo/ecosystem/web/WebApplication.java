package dev.piccolo.ecosystem.web;

import javax.sql.DataSource;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * A Spring MVC + Spring Data JPA application as users write them, on Boot's defaults (open-in-view on),
 * with read-only transactions sent to the replica. With {@code test.wrap-data-source=delegating} its
 * {@code DataSource} bean is wrapped in a {@link DelegatingDataSource}, as wrappers from the ecosystem do.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@ComponentScan
public class WebApplication {

    @Bean
    @ConditionalOnProperty(name = "test.wrap-data-source", havingValue = "delegating")
    static BeanPostProcessor delegatingDataSourceWrapper() {
        return new BeanPostProcessor() {

            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                return bean instanceof DataSource dataSource && "dataSource".equals(beanName)
                        ? new DelegatingDataSource(dataSource) : bean;
            }
        };
    }
}
