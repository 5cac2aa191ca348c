package io.bellwether.embedded;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

import java.io.PrintStream;

/**
 * Prints every skipped test and why on the console, where whoever ran {@code mvn verify} looks: Surefire itself only
 * counts skips there and keeps the reason in {@code target/surefire-reports}. Registered for every module whose tests
 * use this test-jar (META-INF/services), so a test that needs Chromium or {@code ../shared} never skips silently.
 */
public final class SkipReasons implements TestExecutionListener {
    // System.out, not the native stream: Surefire's forked JVM talks to Maven over the native one, and forwards System.out.
    private static final PrintStream CONSOLE = System.out;

    private TestPlan plan;

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        this.plan = testPlan;
    }

    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        CONSOLE.println("[SKIPPED] " + name(test) + ": " + reason);
    }

    /** "DashboardBrowserTest > should show ...": the class, then the test's own display name. */
    private String name(TestIdentifier test) {
        String parent = plan == null ? null : plan.getParent(test).map(TestIdentifier::getDisplayName).orElse(null);
        return parent == null || !test.isTest() ? test.getDisplayName() : parent + " > " + test.getDisplayName();
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
            String reason = result.getThrowable().map(Throwable::getMessage).orElse("aborted");
            CONSOLE.println("[SKIPPED] " + name(test) + ": " + reason);
        }
    }
}
