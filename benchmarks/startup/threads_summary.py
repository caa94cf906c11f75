# Medians of threads.sh output per variant and thread name (ms of CPU), and the difference to "none".
import sys, statistics as st, collections
d=collections.defaultdict(lambda: collections.defaultdict(list)); runs=collections.Counter()
for l in open(sys.argv[1]):
    p=l.split()
    if not p: continue
    runs[p[0]]+=1
    for kv in p[1:]:
        k,v=kv.split('='); d[p[0]][k].append(int(v))
names=sorted({k for v in d.values() for k in v if not k.startswith('app:')})
apps=sorted({k for v in d.values() for k in v if k.startswith('app:')})
def med(v,k):
    xs=d[v][k]+[0]*(runs[v]-len(d[v][k])); return st.median(xs)
print("| thread | none ms | tds ms | Δ ms |"); print("|---|---:|---:|---:|")
for k in names:
    a=med('none',k); b=med('tds',k)
    if a or b: print("| %s | %.0f | %.0f | %+.0f |"%(k,a,b,b-a))
ta=st.median([sum(x) for x in zip(*[d['none'][k]+[0]*(runs['none']-len(d['none'][k])) for k in names])])
tb=st.median([sum(x) for x in zip(*[d['tds'][k]+[0]*(runs['tds']-len(d['tds'][k])) for k in names])])
print("| all live threads | %.0f | %.0f | %+.0f |"%(ta,tb,tb-ta))
for k in apps:
    a=med('none',k); b=med('tds',k); print("| %s (ms, the application's thread, in the call) | %.0f | %.0f | %+.0f |"%(k[4:],a,b,b-a))
