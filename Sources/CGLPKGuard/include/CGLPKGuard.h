// flexsched: a setjmp point for GLPK's fatal errors, which Swift cannot set itself.
// GPL-3.0-or-later.
#ifndef FLEXSCHED_CGLPKGUARD_H
#define FLEXSCHED_CGLPKGUARD_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Runs `body(context)` on the calling thread with GLPK's fatal errors caught.
///
/// GLPK reports invalid arguments and internal failures by printing a message and calling
/// `abort()`, unless an error hook transfers control elsewhere with `longjmp`. This function is
/// that `setjmp` point. During `body` GLPK's terminal output is on when `show_output` is nonzero,
/// off otherwise, and the setting found on entry is restored on the way out.
///
/// Returns 0 when `body` returned. Returns 1 when GLPK raised a fatal error: `body` was abandoned
/// mid-way (no code after the failing GLPK call in it ran), the thread's GLPK environment and every
/// GLPK object in it were freed with `glp_free_env`, and the text GLPK printed for the error is in
/// `message` (NUL-terminated, cut to `message_capacity` bytes). The next GLPK call on the thread
/// starts a fresh environment.
///
/// Because `body` can be abandoned, whatever it runs must keep its state outside its own stack
/// frames and hold nothing that needs cleaning up (no reference counts, no open accesses).
///
/// Returns 2, without running `body`, when called from inside another guarded body on the same
/// thread: an error in the inner body would free the outer body's problem and jump over the
/// inner caller's frames. `message` may be NULL when `message_capacity` is 0.
///
/// When `should_stop` is not NULL, it is asked with `context` every time GLPK prints (a simplex
/// with `msg_lev` on and a short `out_frq` prints every few hundred milliseconds). Nonzero
/// abandons `body` as an error does, environment freed, and the function returns 3.
int flexsched_glpk_guarded(void (*body)(void *context), void *context, int show_output,
                           int (*should_stop)(void *context), char *message, size_t message_capacity);

#ifdef __cplusplus
}
#endif

#endif
