package io.latchkey;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

import io.latchkey.config.ConfigCommand;
import io.latchkey.keys.MasterKeyCommand;

@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class LatchkeyApplication {

    public static void main(String[] args) {
        if (MasterKeyCommand.requested(args) != null) {
            System.exit(MasterKeyCommand.run(args));
        }
        if (ConfigCommand.requested(args)) {
            System.exit(ConfigCommand.runFromMain(args));
        }
        SpringApplication.run(LatchkeyApplication.class, args);
    }
}
