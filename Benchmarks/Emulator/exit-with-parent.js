// Preloaded into the fauxqs process the benchmark starts (node --require). The benchmark holds
// the write end of this process's stdin; when the benchmark dies in any way (even SIGKILL) the
// pipe closes and fauxqs exits with it instead of staying behind on its port.
'use strict';
const leave = () => process.exit(0);
process.stdin.once('end', leave);
process.stdin.once('close', leave);
process.stdin.once('error', leave);
process.stdin.resume();
