package routes.app;

import java.util.function.ToIntFunction;

import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;

/**
 * For commands that need a started CamelContext but run no task (`check`, `alerts test`): starts camel-main as it is
 * set up, does the command's work once the context has started, then stops it.
 */
final class StartedOnce {

    private StartedOnce() {
    }

    /** The work's exit status; {@code unstarted} when the context never started. Throws what starting it threw. */
    static int run(Main main, int unstarted, ToIntFunction<CamelContext> work) throws Exception {
        int[] status = {unstarted};
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterStart(BaseMainSupport started) {
                try {
                    status[0] = work.applyAsInt(started.getCamelContext());
                } finally {
                    main.completed();
                }
            }
        });
        main.run();
        return status[0];
    }
}
