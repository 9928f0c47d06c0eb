#include "catalogue.hpp"

#include <cstdlib>

namespace shm::catalogue {

namespace {
using S = Severity;

const Text kTopicFileSize = {"file-backed mappings and file size", "文件映射与文件大小"};
const Text kTopicSync = {"synchronising processes: process-shared mutexes and semaphores",
                         "进程间同步：进程共享的互斥锁与信号量"};
const Text kTopicRun = {"running and testing the program", "程序的运行与测试"};

// clang-format off
const std::vector<FindingKind> kCatalogue = {
{"map-failed-unchecked", S::Error, 5,
 {"mmap failure not handled", "未处理 mmap 失败"},
 {"when {call} fails ({errno}, injected by the grader), the program does not handle it: {outcome}",
  "当 {call} 失败（{errno}，由评分器注入）时，程序没有处理：{outcome}"},
 {"compare the result with MAP_FAILED (shmat: (void *) -1, sem_open: SEM_FAILED, shm_open: -1), never NULL; print the call's name with perror and exit 1",
  "把返回值与 MAP_FAILED 比较（shmat 为 (void *) -1，sem_open 为 SEM_FAILED，shm_open 为 -1），不要与 NULL 比较；用 perror 打印调用名并以状态 1 退出"},
 {"mmap: return value and errors", "mmap 的返回值与错误处理"},
 {"mmap reports failure by returning MAP_FAILED, which is (void *) -1, not NULL. A program that compares the result\n"
  "with NULL, or does not check it at all, goes on to use address -1 and crashes with SIGSEGV far from the real\n"
  "cause, or prints a wrong result. shmat fails the same way ((void *) -1), shm_open returns -1 and sem_open\n"
  "SEM_FAILED. The grader makes such a call fail on purpose and watches what the program does: the right reaction\n"
  "is a message naming the call on stderr and exit status 1.",
  "mmap 失败时返回 MAP_FAILED，即 (void *) -1，而不是 NULL。把返回值与 NULL 比较或根本不检查的程序会继续使用\n"
  "地址 -1，在远离真正原因的地方因 SIGSEGV 崩溃，或者输出错误的结果。shmat 失败时同样返回 (void *) -1，\n"
  "shm_open 返回 -1，sem_open 返回 SEM_FAILED。评分器会故意让这些调用失败并观察程序的反应：正确的做法是在\n"
  "stderr 上输出包含调用名的消息，并以状态 1 退出。"},
 "int *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);\nif (p == NULL) { perror(\"mmap\"); exit(1); }",
 "int *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);\nif (p == MAP_FAILED) { perror(\"mmap\"); exit(1); }"},

{"missing-ftruncate", S::Error, 5,
 {"mapped file never sized", "映射前未设置文件大小"},
 {"{path} is {size} bytes long but is mapped MAP_SHARED for {length} bytes, and the program never extends it with ftruncate: touching the mapping raises SIGBUS",
  "{path} 只有 {size} 字节，却以 MAP_SHARED 映射了 {length} 字节，而程序从未用 ftruncate 扩展它：访问这段映射会引发 SIGBUS"},
 {"call ftruncate(fd, size) after creating the file or shm object and before touching the mapping",
  "创建文件或共享内存对象之后、访问映射之前调用 ftruncate(fd, size)"},
 kTopicFileSize,
 {"A new file, and a new shm_open object, is 0 bytes long. mmap succeeds anyway (it only reserves addresses), but a\n"
  "page of the mapping that lies wholly beyond end of file has nothing behind it, and the first access to it raises\n"
  "SIGBUS. Size the object first: ftruncate(fd, size) makes the file long enough (reading as zeros), and then every\n"
  "mapped byte is backed.",
  "新建的文件以及新的 shm_open 对象长度为 0。mmap 仍然会成功（它只预留地址），但映射中完全位于文件末尾之后的页\n"
  "没有任何后备，第一次访问就会引发 SIGBUS。先设置大小：ftruncate(fd, size) 把文件扩展到足够长（内容为零），\n"
  "之后映射的每个字节都有后备。"},
 "int fd = open(path, O_RDWR | O_CREAT, 0644);\nint *n = mmap(NULL, sizeof *n, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);\n*n = 0;   /* SIGBUS: the file is empty */",
 "int fd = open(path, O_RDWR | O_CREAT, 0644);\nif (ftruncate(fd, sizeof(int)) == -1) { perror(\"ftruncate\"); exit(1); }\nint *n = mmap(NULL, sizeof *n, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);"},

{"beyond-eof", S::Error, 5,
 {"mapping beyond end of file", "映射超出文件末尾"},
 {"{path} is {size} bytes long but the mapping covers bytes {offset} to {end}, more than a page past its end; the run {outcome}",
  "{path} 只有 {size} 字节，但映射覆盖了第 {offset} 到 {end} 字节，超出文件末尾一页以上；本次运行：{outcome}"},
 {"find the file's size with fstat and map only up to it: clamp OFFSET + LENGTH to the size",
  "用 fstat 取得文件大小，只映射到文件末尾：把 OFFSET + LENGTH 截断到文件大小"},
 kTopicFileSize,
 {"Within the last page of a file, bytes past end of file read as zeros. Pages after that have no file behind them:\n"
  "touching them raises SIGBUS. A program that maps a fixed window without looking at the file's size works on big\n"
  "files and crashes on small ones, or prints zeros that are not in the file. Find the size with fstat and map only\n"
  "[offset, min(offset + length, size)).",
  "在文件最后一页内，文件末尾之后的字节读出为零；再往后的页没有文件做后备，访问它们会引发 SIGBUS。不看文件大小\n"
  "就映射固定窗口的程序在大文件上能工作，在小文件上会崩溃，或者输出文件中并不存在的零。用 fstat 取得大小，\n"
  "只映射 [offset, min(offset + length, size))。"},
 "char *p = mmap(NULL, 1 << 20, PROT_READ, MAP_SHARED, fd, 0);\nfwrite(p, 1, 1 << 20, stdout);",
 "struct stat st;\nfstat(fd, &st);\nchar *p = mmap(NULL, st.st_size, PROT_READ, MAP_SHARED, fd, 0);\nfwrite(p, 1, st.st_size, stdout);"},

{"unaligned-offset", S::Error, 3,
 {"unaligned mmap offset", "mmap 偏移未按页对齐"},
 {"mmap of {path} at offset {offset}, which is not a multiple of the page size ({page}): the call fails with EINVAL",
  "以偏移 {offset} 映射 {path}，该偏移不是页大小（{page}）的整数倍：调用会以 EINVAL 失败"},
 {"map from the page boundary below: aligned = offset & ~(page - 1), map length + (offset - aligned) bytes, read from p + (offset - aligned)",
  "从下方的页边界开始映射：aligned = offset & ~(page - 1)，映射 length + (offset - aligned) 字节，从 p + (offset - aligned) 读取"},
 {"mmap: offset alignment", "mmap 的偏移对齐"},
 {"mmap's offset must be a multiple of the page size (sysconf(_SC_PAGESIZE), 4096 here); otherwise mmap returns\n"
  "MAP_FAILED with EINVAL. To start at any byte offset, map from the page boundary at or below it, map that many\n"
  "bytes more, and start at the difference.",
  "mmap 的 offset 必须是页大小（sysconf(_SC_PAGESIZE)，这里为 4096）的整数倍，否则 mmap 以 EINVAL 返回\n"
  "MAP_FAILED。要从任意字节偏移开始，就从不大于它的页边界开始映射，多映射相差的字节数，再从相差处开始读取。"},
 "char *p = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, offset);",
 "long page = sysconf(_SC_PAGESIZE);\noff_t aligned = offset & ~(off_t)(page - 1);\nsize_t skip = offset - aligned;\nchar *p = mmap(NULL, len + skip, PROT_READ, MAP_SHARED, fd, aligned);\nfwrite(p + skip, 1, len, stdout);"},

{"munmap-misuse", S::Error, 3,
 {"munmap or msync misused", "munmap 或 msync 使用错误"},
 {"{call}(addr={addr}, length={length}): {problem}", "{call}(addr={addr}, length={length})：{problem}"},
 {"pass munmap and msync a page-aligned address (the one mmap returned, or a page boundary inside the mapping) and a length above 0",
  "给 munmap 和 msync 传按页对齐的地址（mmap 返回的地址，或映射内的页边界）以及大于 0 的长度"},
 {"munmap and msync", "munmap 与 msync"},
 {"munmap(addr, length) removes the pages of [addr, addr + length), the length rounded up to whole pages; addr must\n"
  "be page-aligned. Releasing part of a mapping, or a range across adjacent mappings, is legal. Passing a pointer that\n"
  "was moved (p + 1, a field of a struct) fails with EINVAL and leaves the mapping in place; a length of 0 fails the\n"
  "same way; a range where nothing is mapped releases nothing. Keep the pointer mmap returned and unmap from it.\n"
  "msync follows the same address rule.",
  "munmap(addr, length) 删除 [addr, addr + length) 范围内的页，长度向上取整到整页；addr 必须按页对齐。释放映射的\n"
  "一部分，或跨越相邻映射的范围，都是合法的。传入移动过的指针（p + 1、结构体的某个成员）会以 EINVAL 失败而映射\n"
  "依然存在；长度为 0 同样失败；没有映射的范围什么也不释放。保存 mmap 返回的指针，从它开始解除映射。msync 的地址\n"
  "规则相同。"},
 "char *p = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);\np += header;\nmunmap(p, len);",
 "char *base = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);\nchar *p = base + header;\nmunmap(base, len);"},

{"private-mapping", S::Error, 5,
 {"MAP_PRIVATE where sharing is required", "需要共享时使用了 MAP_PRIVATE"},
 {"{what} is mapped MAP_PRIVATE and written: the writes go to this process's private copy, so other processes and the file never see them",
  "{what} 以 MAP_PRIVATE 映射并被写入：写入只进入本进程的私有副本，其他进程和文件都看不到"},
 {"map memory that other processes must see with MAP_SHARED", "需要让其他进程看到的内存要用 MAP_SHARED 映射"},
 {"MAP_SHARED vs MAP_PRIVATE", "MAP_SHARED 与 MAP_PRIVATE"},
 {"MAP_PRIVATE is copy-on-write: the first write to a page gives the writing process its own copy. Nothing written\n"
  "reaches the file or the other processes mapping it, and after fork parent and child each write their own copy.\n"
  "For a counter or a ring that several processes share, only MAP_SHARED works.",
  "MAP_PRIVATE 是写时复制：对某页的第一次写入会给写入的进程一份自己的副本。写入的内容不会到达文件，也不会到达\n"
  "映射同一文件的其他进程；fork 之后父子进程各自写自己的副本。多个进程共享的计数器或环形缓冲区只能用 MAP_SHARED。"},
 "int *n = mmap(NULL, sizeof *n, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);",
 "int *n = mmap(NULL, sizeof *n, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);"},

{"mode-mismatch", S::Error, 5,
 {"required technique not used", "未使用要求的技术"},
 {"this test requires {technique}, but the program {observed}", "本测试要求{technique}，但程序{observed}"},
 {"use the technique the handout names for this test", "使用讲义为本测试指定的技术"},
 {"ways to share memory: file, anonymous (BSD, SVR4), POSIX, System V", "共享内存的方式：文件、匿名（BSD、SVR4）、POSIX、System V"},
 {"Each assignment practises one way of sharing memory, and the grader checks from the system calls that the program\n"
  "uses it: a MAP_SHARED mapping of the named file (counter), MAP_SHARED | MAP_ANONYMOUS with fd -1 (BSD anonymous),\n"
  "a MAP_SHARED mapping of /dev/zero (SVR4 anonymous), threads sharing one mapping, shm_open (POSIX), shmget and\n"
  "shmat (System V), or reading a file only through its mapping (mapcat: no read or pread of it). A program that\n"
  "prints the right answer another way has not done the exercise.",
  "每个作业练习一种共享内存的方式，评分器从系统调用中检查程序是否使用了它：对指定文件的 MAP_SHARED 映射（counter），\n"
  "fd 为 -1 的 MAP_SHARED | MAP_ANONYMOUS（BSD 匿名映射），对 /dev/zero 的 MAP_SHARED 映射（SVR4 匿名映射），\n"
  "多个线程共享同一映射，shm_open（POSIX），shmget 与 shmat（System V），或只通过映射读取文件（mapcat：不得用\n"
  "read 或 pread 读它）。用别的办法得到正确输出的程序并没有完成练习。"},
 "/* anon bsd */\nint fd = open(\"/dev/zero\", O_RDWR);\nint *n = mmap(NULL, sizeof *n, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);",
 "/* anon bsd */\nint *n = mmap(NULL, sizeof *n, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);"},

{"sync-not-shared", S::Error, 5,
 {"lock in memory that is not shared", "锁位于非共享内存中"},
 {"the lock at {addr} is used by {processes} processes but lives in memory that is not shared ({backing}): each process locks its own copy",
  "位于 {addr} 的锁被 {processes} 个进程使用，却处在非共享内存中（{backing}）：每个进程锁的都是自己的副本"},
 {"put the mutex or semaphore inside a MAP_SHARED mapping and initialise it process-shared (PTHREAD_PROCESS_SHARED, sem_init(s, 1, v))",
  "把互斥锁或信号量放进 MAP_SHARED 映射中，并以进程共享方式初始化（PTHREAD_PROCESS_SHARED，sem_init(s, 1, v)）"},
 kTopicSync,
 {"After fork a child has a copy of its parent's private memory: a mutex or semaphore in a global variable, on the\n"
  "stack or in malloc'd memory is a different object in each process, so locking it excludes nobody. A lock that\n"
  "processes share must live in shared memory (the same MAP_SHARED mapping, a shm object or a System V segment),\n"
  "be initialised once before fork, and be process-shared.",
  "fork 之后，子进程得到父进程私有内存的一份副本：放在全局变量、栈上或 malloc 内存中的互斥锁或信号量在每个进程\n"
  "中都是不同的对象，加锁互斥不了任何人。进程间共享的锁必须位于共享内存中（同一个 MAP_SHARED 映射、shm 对象\n"
  "或 System V 段），在 fork 之前初始化一次，并且是进程共享的。"},
 "static sem_t lock;   /* a private copy in each process after fork */\nsem_init(&lock, 1, 1);",
 "sem_t *lock = mmap(NULL, sizeof *lock, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);\nsem_init(lock, 1, 1);"},

{"mutex-not-pshared", S::Error, 5,
 {"shared lock not process-shared", "共享锁未设置为进程共享"},
 {"the lock at {addr} lies in a shared mapping ({backing}) but is used as a process-private futex: it was initialised without PTHREAD_PROCESS_SHARED (or with sem_init's pshared = 0)",
  "位于 {addr} 的锁处在共享映射（{backing}）中，却被当作进程私有的 futex 使用：初始化时没有设置 PTHREAD_PROCESS_SHARED（或 sem_init 的 pshared 为 0）"},
 {"pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED) before pthread_mutex_init; sem_init(sem, 1, value)",
  "在 pthread_mutex_init 之前调用 pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED)；使用 sem_init(sem, 1, value)"},
 kTopicSync,
 {"A mutex or semaphore placed in shared memory is still process-private unless it is initialised as shared. glibc\n"
  "then uses private futexes, which the kernel tells apart by address within one process: a waiter in one process\n"
  "is never woken by an unlock in another, so processes hang, or the lock seems to work until it is contended.\n"
  "Initialise it with PTHREAD_PROCESS_SHARED (or sem_init's pshared = 1), once, before forking.",
  "放在共享内存中的互斥锁或信号量，如果没有以共享方式初始化，仍然是进程私有的。glibc 会使用私有 futex，内核在\n"
  "单个进程内按地址区分它们：一个进程中的等待者永远不会被另一个进程的解锁唤醒，于是进程挂起，或者锁看起来能用，\n"
  "直到出现争用。在 fork 之前用 PTHREAD_PROCESS_SHARED（或 sem_init 的 pshared = 1）初始化一次。"},
 "pthread_mutex_init(&shared->lock, NULL);",
 "pthread_mutexattr_t attr;\npthread_mutexattr_init(&attr);\npthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);\npthread_mutex_init(&shared->lock, &attr);"},

{"ipc-leak", S::Error, 3,
 {"IPC object left behind", "遗留的 IPC 对象"},
 {"{kind} {name} was still there after the run: {how}",
  "运行结束后 {kind} {name} 仍然存在：{how}"},
 {"remove what you create: shm_unlink, sem_unlink, or shmctl(id, IPC_RMID, NULL) once every process has attached",
  "删除自己创建的对象：shm_unlink、sem_unlink，或在所有进程都附加之后调用 shmctl(id, IPC_RMID, NULL)"},
 {"lifetime of POSIX and System V objects", "POSIX 与 System V 对象的生命周期"},
 {"POSIX shm objects, named semaphores and System V segments outlive the processes that made them: they stay in\n"
  "/dev/shm or in `ipcs` until removed or until the machine restarts, holding memory, and the next run finds stale\n"
  "state. Remove each object once nobody needs to open it again: shm_unlink and sem_unlink by name, and\n"
  "shmctl(id, IPC_RMID, NULL) for a segment (it goes when the last process detaches).",
  "POSIX shm 对象、有名信号量和 System V 段的生命期比创建它们的进程更长：它们留在 /dev/shm 或 `ipcs` 中直到被删除\n"
  "或机器重启，占用内存，下一次运行还会看到陈旧的状态。在没有进程还需要打开它时删除每个对象：按名字调用\n"
  "shm_unlink 和 sem_unlink，对 System V 段调用 shmctl(id, IPC_RMID, NULL)（最后一个进程分离时它才消失）。"},
 "int id = shmget(IPC_PRIVATE, size, IPC_CREAT | 0600);\nint *n = shmat(id, NULL, 0);\n/* ... exits without IPC_RMID */",
 "int id = shmget(IPC_PRIVATE, size, IPC_CREAT | 0600);\nint *n = shmat(id, NULL, 0);\nshmctl(id, IPC_RMID, NULL);   /* removed when the last process detaches */"},

{"unwaited-children", S::Error, 3,
 {"children not waited for", "未等待子进程"},
 {"the program exited while its child process(es) {children} had not been waited for: its result may not include their work",
  "程序退出时，子进程 {children} 还没有被等待：结果可能没有包含它们的工作"},
 {"wait for every child you fork (waitpid in a loop) before reading what they computed",
  "在读取子进程的计算结果之前，等待每一个 fork 出来的子进程（循环调用 waitpid）"},
 {"fork, wait and shared results", "fork、wait 与共享结果"},
 {"A parent that prints the shared counter right after forking reads it while its children are still adding: the\n"
  "output depends on timing. Children never waited for stay zombies until the parent exits. Wait for each child\n"
  "(waitpid, and check its status) before using what they computed.",
  "fork 之后立即打印共享计数器的父进程，读取时子进程还在累加：输出取决于时机。从未被等待的子进程会一直是僵尸\n"
  "进程，直到父进程退出。在使用子进程的计算结果之前等待每个子进程（waitpid，并检查其状态）。"},
 "for (int i = 0; i < n; i++) if (fork() == 0) { work(); _exit(0); }\nprintf(\"%d\\n\", *count);",
 "for (int i = 0; i < n; i++) if (fork() == 0) { work(); _exit(0); }\nfor (int i = 0; i < n; i++) wait(NULL);\nprintf(\"%d\\n\", *count);"},

{"missing-msync", S::Warning, 0,
 {"no msync before unmapping", "解除映射前没有 msync"},
 {"{path} is mapped MAP_SHARED and writable, but the program never msync'd it before unmapping it or exiting",
  "{path} 以可写的 MAP_SHARED 方式映射，但程序在解除映射或退出之前从未对它调用 msync"},
 {"msync(addr, length, MS_SYNC) before munmap when the data must be in the file", "数据必须写回文件时，在 munmap 之前调用 msync(addr, length, MS_SYNC)"},
 {"msync: writing a mapping back", "msync：把映射写回文件"},
 {"Writes to a MAP_SHARED file mapping land in the page cache at once (other processes see them) but reach the\n"
  "disk when the kernel decides. If the data must survive a crash, or be on disk before the program reports\n"
  "success, call msync(addr, length, MS_SYNC) before munmap. MS_ASYNC only schedules the write.",
  "对 MAP_SHARED 文件映射的写入会立即进入页缓存（其他进程能看到），但何时写到磁盘由内核决定。如果数据必须在\n"
  "崩溃后依然存在，或者要在程序报告成功之前落盘，就在 munmap 之前调用 msync(addr, length, MS_SYNC)。\n"
  "MS_ASYNC 只是安排写回。"},
 "*count = total;\nmunmap(count, sizeof *count);",
 "*count = total;\nif (msync(count, sizeof *count, MS_SYNC) == -1) perror(\"msync\");\nmunmap(count, sizeof *count);"},

{"data-race", S::Error, 5,
 {"data race on shared memory", "共享内存上的数据竞争"},
 {"{access} races with {other} on {object}: {why}",
  "{access}与{other}在 {object} 处发生数据竞争：{why}"},
 {"put both accesses under the same process-shared lock, or make them atomic", "把两个访问放在同一个进程共享的锁之下，或者改用原子操作"},
 kTopicSync,
 {"One event happens before another when something orders them: a lock released by one and then taken by the\n"
  "other, a semaphore posted and then waited for, a fork (the parent's past before the child), a wait (the\n"
  "child's whole life before the parent goes on), an atomic store-release read by a load-acquire. Two accesses\n"
  "race when they touch the same memory, at least one writes, and neither happens before the other. Then an\n"
  "increment (load, add, store) of one process can overwrite another's, and updates are lost in some runs only:\n"
  "a right total in one run proves nothing. Put both accesses under the same process-shared lock, or make them\n"
  "one atomic operation. When the write is the creator's first write of a named object's bytes, the race is the\n"
  "object's initialisation: another program could open it by name before it was initialised. Publish it only\n"
  "once initialised: post a named semaphore after initialising that the others wait for, or rename it into place.",
  "当有东西给两个事件定序时，一个事件“先行发生”于另一个：一方释放、另一方随后获取的锁，先 post 后被 wait 的\n"
  "信号量，fork（父进程之前的一切先于子进程），wait（子进程的整个生命先于父进程继续执行），被 load-acquire\n"
  "读到的 store-release 原子写。两个访问如果访问同一块内存、至少一个是写，并且谁也不先行发生于对方，就构成\n"
  "数据竞争。这时一个进程的自增（读、加、写）可能覆盖另一个进程的结果，更新只在某些运行中丢失：某次运行的总数\n"
  "正确并不能证明什么。把两个访问放在同一个进程共享的锁之下，或者改成一次原子操作。如果写是创建者对具名对象\n"
  "这些字节的第一次写，竞争就发生在对象的初始化上：另一个程序可能在初始化完成前按名字打开它。只在初始化完成后\n"
  "才发布对象：初始化后 post 一个其他程序会先 wait 的具名信号量，或者先用临时名字创建再 rename 到位。"},
 "(*count)++;",
 "pthread_mutex_lock(&shared->lock);\n(*count)++;\npthread_mutex_unlock(&shared->lock);"},

{"race-check-incomplete", S::Info, 0,
 {"race check incomplete", "竞争检查不完整"},
 {"the race detector checked only the first {max} {what} of this run: accesses past them were not checked, so finding no race there proves nothing",
  "竞争检测器在这次运行中只检查了前 {max} 个{what}：之后的访问没有被检查，所以那里没有发现竞争并不说明什么"},
 {"race-check the program with fewer processes or threads (shmgrade race FILE.c -- ARGS with smaller counts): a race shows with a few as well as with many",
  "用更少的进程或线程对程序做竞争检查（shmgrade race FILE.c -- 参数，用更小的数目）：竞争在少量进程时和大量进程时一样会出现"},
 kTopicSync,
 {"The race detector keeps a vector clock for each thread and process of a run and a record of each shared word,\n"
  "in a table of fixed size. A run that starts more threads and processes, or touches more shared words, than the\n"
  "table holds is checked only up to that point. A race needs only two processes to show, so check the program\n"
  "with small counts: the result then covers every access.",
  "竞争检测器为一次运行中的每个线程和进程保存一个向量时钟，并为每个共享字保存一条记录，这些都在一张固定大小的\n"
  "表里。一次运行如果启动的线程和进程、或访问的共享字超过表的容量，就只检查到那里为止。竞争只要两个进程就能出现，\n"
  "所以用小的数目检查程序：那样结果覆盖每一次访问。"},
 "./counter count.bin 1000 10   /* 1000 processes: those past the table are unchecked */",
 "./counter count.bin 4 2000    /* every access checked */"},

{"crash", S::Error, 0,
 {"program crashed", "程序崩溃"},
 {"the program was killed by {signal} ({description})", "程序被 {signal}（{description}）终止"},
 {"run it under gdb to find the faulting line; SIGBUS on a mapping means a page beyond end of file, SIGSEGV often a MAP_FAILED used as an address",
  "用 gdb 运行以找到出错的行；映射上的 SIGBUS 表示访问了文件末尾之后的页，SIGSEGV 常常是把 MAP_FAILED 当作地址使用"},
 kTopicRun,
 {"A signal ended the program before it finished. On mapped memory, SIGBUS means an access to a page with no file\n"
  "behind it (mapping beyond end of file, or a file never sized with ftruncate) and SIGSEGV an access outside any\n"
  "mapping, often address -1 (MAP_FAILED) or memory already unmapped.",
  "程序在结束之前被信号终止。对映射内存来说，SIGBUS 表示访问了没有文件后备的页（映射超出文件末尾，或者文件\n"
  "从未用 ftruncate 设置大小），SIGSEGV 表示访问了任何映射之外的地址，常常是地址 -1（MAP_FAILED）或已经解除\n"
  "映射的内存。"},
 "int *n = mmap(...);   /* MAP_FAILED, unchecked */\n*n = 0;",
 "int *n = mmap(...);\nif (n == MAP_FAILED) { perror(\"mmap\"); exit(1); }\n*n = 0;"},

{"timeout", S::Error, 0,
 {"time limit exceeded", "超出时间限制"},
 {"the program did not finish within the time limit ({limit})", "程序没有在时间限制（{limit}）内结束"},
 {"look for a deadlock (a lock never released, a wait for a post that never comes, a wait for a child that never exits) or a busy loop",
  "检查死锁（从不释放的锁、等不到的 post、等待一个永不退出的子进程）或忙等循环"},
 kTopicRun,
 {"The sandbox stopped the program at its time limit. With shared memory the usual causes are a deadlock (a\n"
  "process exits or crashes holding a lock, a semaphore is never posted, a private futex is never woken from\n"
  "another process) or a loop spinning on a value that another process never writes.",
  "沙箱在时间限制到达时终止了程序。使用共享内存时常见的原因是死锁（进程持有锁时退出或崩溃、信号量从未被 post、\n"
  "私有 futex 永远不会被另一个进程唤醒），或者在等待一个其他进程永远不会写入的值时空转。"},
 "while (*ready == 0) ;   /* spins forever if the writer crashed */",
 "sem_wait(ready);   /* sleeps until posted */"},

{"resource-limit", S::Error, 0,
 {"resource limit hit", "达到资源限制"},
 {"the run hit the {limit} limit and was stopped", "运行达到 {limit} 限制而被终止"},
 {"release what you no longer need: munmap, close, wait for children; do not map or fork in an unbounded loop",
  "释放不再需要的资源：munmap、close、等待子进程；不要在无界循环中映射或 fork"},
 kTopicRun,
 {"Each run has limits on memory, processes, open files, file size and output. A mapping per loop iteration\n"
  "never unmapped, a fork in a loop, or a runaway print exhausts one of them.",
  "每次运行在内存、进程数、打开文件数、文件大小和输出量上都有限制。每次循环都映射却从不解除映射、在循环中\n"
  "fork、或者失控的打印都会耗尽其中之一。"},
 "for (;;) { char *p = mmap(NULL, 1 << 20, ...); use(p); }",
 "for (;;) { char *p = mmap(NULL, 1 << 20, ...); use(p); munmap(p, 1 << 20); }"},

{"sandbox-violation", S::Error, 0,
 {"forbidden system call", "禁止的系统调用"},
 {"the program made a system call the sandbox forbids: {syscall}", "程序进行了沙箱禁止的系统调用：{syscall}"},
 {"the assignment needs only the calls of this chapter; remove the others", "本作业只需要本章的系统调用，去掉其他调用"},
 kTopicRun,
 {"Programs run in a sandbox that allows the calls this chapter's programs need (memory mapping, files, fork and\n"
  "wait, shared memory, synchronisation) and refuses the rest, such as network access or mounting.",
  "程序在沙箱中运行，沙箱允许本章程序需要的调用（内存映射、文件、fork 与 wait、共享内存、同步），拒绝其他调用，\n"
  "例如网络访问或挂载。"},
 "socket(AF_INET, SOCK_STREAM, 0);", "/* no network: share through memory */"},

{"compile-error", S::Error, 0,
 {"does not compile", "编译失败"},
 {"{message}", "编译错误：{message}"},
 {"fix the first error the compiler reports; build locally with the same flags: {flags}", "先修正编译器报告的第一个错误；在本地用相同的选项编译：{flags}"},
 kTopicRun,
 {"The submission did not build, so no test could run. The compiler's first error is usually the real one; later\n"
  "errors often follow from it.",
  "提交没有编译成功，因此所有测试都无法运行。编译器报告的第一个错误通常才是真正的错误，后面的错误常常由它引起。"},
 "int *n = mmap(NULL, 4, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)   /* missing ; */",
 "int *n = mmap(NULL, 4, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);"},

{"wrong-output", S::Error, 0,
 {"wrong output", "输出错误"},
 {"{detail}", "输出与期望不符：{detail}"},
 {"compare your output with the handout's format byte for byte, newline included, starting where the test says it first differs",
  "从测试指出的第一处差异开始，把输出与讲义规定的格式逐字节比较，包括换行"},
 kTopicRun,
 {"The program finished but its output, exit status or the file it wrote differs from what the test expects. With\n"
  "shared memory, a total that is short in some runs is the sign of unsynchronised updates.",
  "程序结束了，但它的输出、退出状态或写出的文件与测试的期望不同。使用共享内存时，某些运行中总数偏少是未同步\n"
  "更新的迹象。"},
 "printf(\"count: %d\", *count);", "printf(\"%d\\n\", *count);"},

{"hidden-test", S::Error, 0,
 {"a hidden test failed", "隐藏测试未通过"},
 {"a hidden test failed; what it ran and expected is kept for your instructor",
  "一个隐藏测试未通过；它运行了什么、期望什么只有教师可见"},
 {"reread the handout: every rule it states may be tested, including error handling and edge cases",
  "重读讲义：其中的每条规则都可能被测试，包括错误处理和边界情况"},
 kTopicRun,
 {"Some tests are hidden: a student sees that one failed and what it cost, but not its name, arguments, expected\n"
  "values or output, so that passing it means following the handout rather than matching a known answer. The\n"
  "instructor's result (shmgrade grade --format json) keeps everything.",
  "有些测试是隐藏的：学生能看到它未通过以及扣了多少分，但看不到它的名称、参数、期望值或输出，这样通过它靠的是\n"
  "遵循讲义，而不是对上已知的答案。教师看到的结果（shmgrade grade --format json）保留全部内容。"},
 "/* the handout: exit 2 on a usage error */\nint n = atoi(argv[2]);", "if (argc != 4) { fprintf(stderr, \"usage: ...\\n\"); return 2; }"},
};
// clang-format on
}  // namespace

const std::vector<FindingKind>& kinds() { return kCatalogue; }

const FindingKind* find_kind(const std::string& id) {
  for (const auto& k : kCatalogue)
    if (id == k.id) return &k;
  return nullptr;
}

const char* severity_name(Severity s) { return s == Severity::Error ? "error" : s == Severity::Warning ? "warning" : "info"; }

Lang lang_from_env() {
  for (const char* name : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
    const char* value = getenv(name);
    if (value && *value) return std::string(value).rfind("zh", 0) == 0 ? Lang::Zh : Lang::En;
  }
  return Lang::En;
}

bool parse_lang(const std::string& text, Lang& lang) {
  if (text != "en" && text != "zh") return false;
  lang = text == "zh" ? Lang::Zh : Lang::En;
  return true;
}

std::string fill(const std::string& tmpl, const std::map<std::string, std::string>& detail, Lang lang) {
  std::string out;
  for (size_t i = 0; i < tmpl.size();) {
    size_t open = tmpl.find('{', i), close = open == std::string::npos ? open : tmpl.find('}', open);
    if (close == std::string::npos) {
      out += tmpl.substr(i);
      break;
    }
    const std::string name = tmpl.substr(open + 1, close - open - 1);
    auto it = lang == Lang::Zh ? detail.find(name + "_zh") : detail.end();  // a value in Chinese, when given
    if (it == detail.end()) it = detail.find(name);
    out += tmpl.substr(i, open - i) + (it != detail.end() ? it->second : "{" + name + "}");
    i = close + 1;
  }
  return out;
}

std::string explain_page(const FindingKind& kind, Lang lang) {
  const bool zh = lang == Lang::Zh;
  auto indent = [](const std::string& code) {
    std::string out = "    ";
    for (char c : code) out += c == '\n' ? std::string("\n    ") : std::string(1, c);
    return out + "\n";
  };
  char points[32];
  snprintf(points, sizeof points, "%g", kind.default_points);
  std::string page = std::string(kind.id) + " — " + kind.title.in(lang) + "  [" + severity_name(kind.severity) +
                     (zh ? "，默认扣 " : ", costs ") + points + (zh ? " 分]\n" : " points by default]\n");
  page += std::string(zh ? "章节主题：" : "Chapter topic: ") + kind.topic.in(lang) + "\n\n";
  page += std::string(kind.explain.in(lang)) + "\n\n";
  page += std::string(zh ? "错误写法：\n" : "Wrong:\n") + indent(kind.wrong);
  page += std::string(zh ? "正确写法：\n" : "Right:\n") + indent(kind.right);
  page += std::string(zh ? "\n如何修正：" : "\nHow to fix: ") + kind.hint.in(lang) + "\n";
  return page;
}

}  // namespace shm::catalogue
