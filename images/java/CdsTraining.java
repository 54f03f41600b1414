import java.io.*;
import java.math.BigInteger;
import java.util.*;
import java.util.function.*;
import java.util.stream.*;

/** What a typical judge program touches, for the class list of the image's CDS archive. */
public class CdsTraining {
  record Pair(int a, long b) {}

  public static void main(String[] args) throws IOException {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
    PrintWriter out = new PrintWriter(new BufferedWriter(new OutputStreamWriter(System.out)));
    List<Integer> xs = new ArrayList<>();
    String line;
    while ((line = in.readLine()) != null) {
      StringTokenizer st = new StringTokenizer(line);
      while (st.hasMoreTokens()) xs.add(Integer.parseInt(st.nextToken()));
      for (String w : line.trim().split("\\s+")) if (!w.isEmpty()) xs.add(Integer.valueOf(w));
    }
    Scanner sc = new Scanner("4 5 6.5 word\nnext line");
    long sum = sc.nextInt() + sc.nextLong();
    double d = sc.nextDouble();
    String w = sc.next();
    sc.nextLine();
    String rest = sc.hasNextLine() ? sc.nextLine() : "";
    int[] arr = xs.stream().mapToInt(Integer::intValue).toArray();
    Arrays.sort(arr);
    long[] la = new long[arr.length];
    Arrays.fill(la, 1L);
    Integer[] boxed = xs.toArray(new Integer[0]);
    Arrays.sort(boxed, Collections.reverseOrder());
    Collections.sort(xs);
    Map<Integer, Long> counts = xs.stream()
        .collect(Collectors.groupingBy(x -> x % 3, TreeMap::new, Collectors.counting()));
    Map<String, Integer> hm = new HashMap<>();
    hm.merge(w, 1, Integer::sum);
    hm.computeIfAbsent(rest, k -> k.length());
    Set<Integer> hs = new HashSet<>(xs);
    TreeSet<Integer> ts = new TreeSet<>(xs);
    Deque<Integer> dq = new ArrayDeque<>(xs);
    LinkedList<Integer> ll = new LinkedList<>(xs);
    PriorityQueue<Pair> pq = new PriorityQueue<>(Comparator.comparingInt(Pair::a).thenComparingLong(Pair::b));
    for (int x : arr) pq.add(new Pair(x, (long) x * x));
    List<String> strs = IntStream.rangeClosed(1, 5).boxed().map(String::valueOf).collect(Collectors.toList());
    String joined = String.join(",", strs) + strs.stream().collect(Collectors.joining(";"));
    Optional<Integer> max = xs.stream().max(Integer::compare);
    BiFunction<Integer, Integer, Integer> add = (p, q) -> p + q;
    Function<Integer, Integer> sq = v -> v * v;
    Supplier<StringBuilder> sbs = StringBuilder::new;
    StringBuilder sb = sbs.get();
    sb.append(joined).append(' ').append(add.apply(1, 2)).append(sq.apply(3)).reverse();
    BigInteger big = BigInteger.valueOf(sum).pow(20).mod(BigInteger.TEN.pow(9).add(BigInteger.valueOf(7)));
    char[] cs = sb.toString().toCharArray();
    Arrays.sort(cs);
    out.printf("%d %.3f %s %s %s %d %d %d %s %s%n", sum, d, counts, hm, big, hs.size() + ts.size(),
        dq.size() + ll.size(), pq.poll().a(), max.orElse(-1), new String(cs).substring(0, 3));
    out.println(String.format("%5.2f|%-4s|%08x", Math.sqrt(d), w, Long.hashCode(Math.abs(sum)))
        + Math.max(1, 2) + Math.floorMod(-7, 3) + Character.isDigit('7') + Long.MAX_VALUE);
    System.out.println(Integer.toBinaryString(42) + " " + Long.parseLong("123") + " " + Double.parseDouble("1.5"));
    out.flush();
    System.err.println("done");
  }
}
