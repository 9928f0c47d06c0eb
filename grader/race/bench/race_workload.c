/* ci/bench race's workload: a lock-heavy threaded counter, 2 threads x 200,000 mutex-protected increments.
 * Built three ways: native, with ThreadSanitizer, and instrumented the same way but linked with xrace. */
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long count;

static void *work(void *arg)
{
    (void)arg;
    for (int i = 0; i < 200000; i++) {
        pthread_mutex_lock(&lock);
        count++;
        pthread_mutex_unlock(&lock);
    }
    return NULL;
}

int main(void)
{
    pthread_t a, b;
    pthread_create(&a, NULL, work, NULL);
    pthread_create(&b, NULL, work, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    return count == 400000 ? 0 : 1;
}
