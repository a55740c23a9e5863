package dev.piccolo.ecosystem.security;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Profile;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * A web application with Actuator and Spring Security. Without a profile it runs on Spring Security's
 * defaults; with {@code operators} it has the security an operations team writes for actuator endpoints:
 * HTTP Basic for every endpoint, no CSRF token for them (their callers are scripts, not browsers), and two
 * users, a {@code viewer} with no role and an {@code operator} with {@code PICCOLO_ADMIN}.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class EndpointApplication {

    static final String PASSWORD = "s3cret-for-tests";

    @Bean
    @Profile("operators")
    @Order(1)
    SecurityFilterChain actuatorSecurity(HttpSecurity http) throws Exception {
        return http.securityMatcher(EndpointRequest.toAnyEndpoint())
                .authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                .httpBasic(Customizer.withDefaults())
                .csrf(csrf -> csrf.disable())
                .build();
    }

    @Bean
    @Profile("operators")
    InMemoryUserDetailsManager users() {
        return new InMemoryUserDetailsManager(
                User.withUsername("viewer").password("{noop}" + PASSWORD).roles("VIEWER").build(),
                User.withUsername("operator").password("{noop}" + PASSWORD).roles("PICCOLO_ADMIN").build());
    }
}
