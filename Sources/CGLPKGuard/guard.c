// flexsched: turns GLPK's fatal errors into a return code. GPL-3.0-or-later.
#include "CGLPKGuard.h"

#include <glpk.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

// Debian's GLPK 5.0 is built with glp_config("TLS") == "_Thread_local": each thread has its own
// environment (problems, hooks, terminal setting), so one guard per thread is all that is needed
// and concurrent solves on other threads are untouched by an error here.
//
// The state lives in thread-local storage rather than in the frame that calls setjmp, because
// locals of that frame changed between setjmp and longjmp are indeterminate afterwards.
struct guard {
    jmp_buf resume;
    int show_output;
    int (*should_stop)(void *context);
    void *context;
    // GLPK prints a fatal error as two pieces of output: its message, then "Error detected in
    // file ... at line ...". Keeping the last two pieces keeps exactly those.
    char previous[512];
    char latest[512];
};

static _Thread_local struct guard state;
static _Thread_local int active;

static int capture_output(void *info, const char *text) {
    struct guard *guard = info;
    memcpy(guard->previous, guard->latest, sizeof guard->latest);
    snprintf(guard->latest, sizeof guard->latest, "%s", text);
    // GLPK's simplex has no callback, but it reports progress every out_frq milliseconds: the one
    // place a long LP can be left when the caller stops it. Leaving is what the error path does.
    if (guard->should_stop != NULL && guard->should_stop(guard->context)) longjmp(guard->resume, 2);
    // Nonzero keeps GLPK from printing the text itself.
    return guard->show_output ? 0 : 1;
}

// GLPK calls abort() if its error hook returns, so this one never does.
static void leave_on_error(void *info) {
    struct guard *guard = info;
    longjmp(guard->resume, 1);
}

int flexsched_glpk_guarded(void (*body)(void *context), void *context, int show_output,
                           int (*should_stop)(void *context), char *message, size_t message_capacity) {
    if (message != NULL && message_capacity > 0) message[0] = '\0';
    if (active) return 2;
    struct guard *guard = &state;
    guard->show_output = show_output;
    guard->should_stop = should_stop;
    guard->context = context;
    guard->previous[0] = '\0';
    guard->latest[0] = '\0';
    // Only read after a longjmp, never changed after setjmp: safe as plain locals. The hook sees
    // GLPK's output only while terminal output is on; it hides what the caller did not ask for.
    const int previous_output = glp_term_out(show_output || should_stop != NULL ? GLP_ON : GLP_OFF);
    const int left = setjmp(guard->resume);
    if (left != 0) {
        active = 0;
        // GLPK's manual: after an error the environment must be freed before GLPK is used again.
        // This frees every problem object of this thread, which is why no flexsched problem
        // outlives one guarded call.
        glp_free_env();
        // A fresh environment starts with output on; put back what the caller had.
        glp_term_out(previous_output);
        if (left == 2) return 3;
        if (message != NULL && message_capacity > 0) {
            snprintf(message, message_capacity, "%s%s", guard->previous, guard->latest);
        }
        return 1;
    }
    active = 1;
    glp_term_hook(capture_output, guard);
    glp_error_hook(leave_on_error, guard);
    body(context);
    glp_error_hook(NULL, NULL);
    glp_term_hook(NULL, NULL);
    glp_term_out(previous_output);
    active = 0;
    return 0;
}
