package io.github.filelock.sample;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

/**
 * The controllers' JSON answers end with a newline, so two {@code curl} answers in a row print on lines of their
 * own instead of glued together. Replaces Boot's converter (which backs off for this bean), with Boot's mapper.
 */
@Configuration(proxyBeanMethods = false)
class JsonAnswers {

    @Bean
    JacksonJsonHttpMessageConverter jacksonJsonHttpMessageConverter(JsonMapper mapper) {
        return new JacksonJsonHttpMessageConverter(mapper) {
            @Override
            protected void writeSuffix(JsonGenerator generator, Object object) {
                generator.writeRaw('\n');
            }
        };
    }
}
