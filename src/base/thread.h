/* thread.h — starting a background thread of the server's (the import worker, the upload storing
 * thread, the mailer). */
#ifndef RC_THREAD_H
#define RC_THREAD_H

#include <pthread.h>

/* pthread_create with every signal blocked in the new thread: SIGINT and SIGTERM are for the thread
 * that stops the server (it waits for them with sigwait), and a default action taken in a background
 * thread could end the process mid-write. The caller's own mask is left as it was. 0 or an errno. */
int rc_thread_start(pthread_t *thread, void *(*fn)(void *), void *arg);

#endif
