package io.orch.responder.executor.windows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Records every call; each can be told to fail with a Win32 error. Nothing is ever shut down. */
final class FakeShutdownApi implements ShutdownApi {
    /** One call with its arguments, e.g. {@code initiate [null, msg, 300, false, true, -2147352573]}. */
    record Call(String name, List<Object> args) {
    }

    final List<Call> calls = new ArrayList<>();
    int privilegeError;
    int initiateError;
    int abortError;
    private int lastError;
    Map<Integer, String> texts = Map.of(5, "Access is denied.", 1116,
            "Unable to abort the system shutdown because no shutdown was in progress.");

    @Override
    public boolean enableShutdownPrivilege() {
        calls.add(new Call("privilege", List.of()));
        return result(privilegeError);
    }

    @Override
    public boolean initiateSystemShutdownEx(String machineName, String message, int timeoutSeconds,
                                            boolean forceAppsClosed, boolean rebootAfterShutdown, int reason) {
        List<Object> args = new ArrayList<>();
        args.add(machineName);
        args.add(message);
        args.add(timeoutSeconds);
        args.add(forceAppsClosed);
        args.add(rebootAfterShutdown);
        args.add(reason);
        calls.add(new Call("initiate", args));
        return result(initiateError);
    }

    @Override
    public boolean abortSystemShutdown(String machineName) {
        List<Object> args = new ArrayList<>();
        args.add(machineName);
        calls.add(new Call("abort", args));
        return result(abortError);
    }

    private boolean result(int error) {
        if (error != 0) {
            lastError = error;
            return false;
        }
        return true;
    }

    @Override
    public int lastError() {
        return lastError;
    }

    @Override
    public String errorText(int code) {
        return texts.getOrDefault(code, "");
    }

    List<String> names() {
        return calls.stream().map(Call::name).toList();
    }
}
