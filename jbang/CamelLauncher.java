// The `camel` command of Camel JBang, built from Maven Central, run by ./camel (see README.md): the usual
// `jbang app install camel@apache/camel` needs GitHub, and camel-jbang-main / camel-launcher 4.17.0 are not
// published, but camel-jbang-core is.
// Keep the Camel version equal to camel.version in ../pom.xml, so `camel run` uses the Camel the project builds with.
// Java 17 on purpose: asking for a newer one makes JBang try to download a JDK.
//JAVA 17+
//DEPS org.apache.camel:camel-bom:4.17.0@pom
//DEPS org.apache.camel:camel-jbang-core:4.17.0

import org.apache.camel.dsl.jbang.core.commands.CamelJBangMain;

public class CamelLauncher {
    public static void main(String... args) {
        // Tasks run in UTC, as with java -jar: Debezium's MySQL/MariaDB connector reads TIMESTAMP values through the
        // JVM's time zone (see routes.app.RealtimeSync).
        java.util.TimeZone.setDefault(java.util.TimeZone.getTimeZone("UTC"));
        CamelJBangMain.run(args);
    }
}
