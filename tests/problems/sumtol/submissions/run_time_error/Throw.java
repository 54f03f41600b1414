// Run-time error: reads the count, then throws (uncaught: the JVM exits with status 1).
import java.util.Scanner;

public class Throw {
    public static void main(String[] args) {
        Scanner in = new Scanner(System.in);
        int n = in.nextInt();
        throw new IllegalStateException("refusing to add " + n + " numbers");
    }
}
