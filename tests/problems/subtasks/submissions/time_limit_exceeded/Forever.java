// Time limit exceeded: reads N, then loops forever (a volatile field, so the loop stays). Score 0.
import java.util.Scanner;

public class Forever {
    static volatile long sum;

    public static void main(String[] args) {
        long n = new Scanner(System.in).nextLong();
        for (long i = 1; ; i = i % n + 1) sum += i;
    }
}
