package dev.piccolo.ecosystem.readme;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The application around README's quick start service. */
@SpringBootApplication
class QuickStartApplication {
}
